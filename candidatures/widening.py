"""« Élargir mes souhaits »: for the applicant's household, the open offers they would
gain by adding each commune around those they wish (same intercommunalité, EPCI), best
first, with the rank they would have there — every eligibility rule but the place,
and the ranking rule itself, in one grouped query whatever the number of offers.

Lives in candidatures because the estimated rank reads the candidatures; the pages
that show it (« Ma situation », « Les offres ») are composed at project level.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from offres.eligibility import (
    allowed_typologies,
    context_for,
    in_desired_places_q,
    open_offers_filter,
)
from offres.freshness import cached_rows
from offres.models import Offer
from territoires.models import Commune

from .models import Candidature, ahead_at_each_criterion, ranking_facts

SHOWN = 8


@dataclass(frozen=True)
class Gain:
    insee_code: str
    name: str
    postal_code: str
    offers: int
    typologies: str  # "T2" or "T2, T3"
    best_rank: int
    worst_rank: int

    @property
    def rank_words(self):
        def ordinal(n):
            return "1er" if n == 1 else f"{n}e"

        if self.best_rank == self.worst_rank:
            return f"rang estimé {ordinal(self.best_rank)}"
        return f"rang estimé {ordinal(self.best_rank)} à {ordinal(self.worst_rank)}"


def widening_gains(demande, limit=SHOWN, context=None):
    """The communes around the wished ones where offers open to the household wait
    (``context``: the request's ``context_for``, when the caller has it already)."""
    context = context or context_for(demande)
    if not context.commune_codes:
        return []
    around = Commune.objects.filter(pk__in=context.commune_codes).exclude(epci="").values("epci")
    ahead_q = Q(pk__in=[])
    for _, q in ahead_at_each_criterion(ranking_facts(demande)):
        ahead_q |= q
    ahead = (
        Candidature.objects.active()
        .filter(ahead_q, offer=OuterRef("pk"))
        .order_by()
        .values("offer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    typologies = allowed_typologies(demande.household_size)
    rows = (
        Offer.objects.filter(open_offers_filter(demande, context, anywhere=True))
        .filter(commune__epci__in=around)
        .exclude(in_desired_places_q(demande, context))
        .annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)))
        .values("commune_id", "commune__name", "commune__postal_code")
        .annotate(
            offers=Count("pk"),
            best=Min("ahead"),
            worst=Max("ahead"),
            **{f"t{t}": Count("pk", filter=Q(typology=t)) for t in typologies},
        )
        .order_by("-offers", "best", "commune__name")[:limit]
    )
    # Cached under its SQL (the household's figures and wishes are in it) and the
    # offers' version; the estimated ranks also read the others' candidatures: an
    # estimate may lag them by a minute at most (the entries' TTL).
    rows = cached_rows(rows)
    return [
        Gain(
            insee_code=row["commune_id"],
            name=row["commune__name"],
            postal_code=row["commune__postal_code"],
            offers=row["offers"],
            typologies=", ".join(Offer.Typology(t).label for t in typologies if row[f"t{t}"]),
            best_rank=row["best"] + 1,
            worst_rank=row["worst"] + 1,
        )
        for row in rows
    ]
