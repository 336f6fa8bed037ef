"""Departments with their own request site (guide, #3); the others use the national site."""

NATIONAL_SITE = "https://www.demande-logement-social.gouv.fr/index"

DEDICATED_SITES = [
    ("Allier", "03", "https://mademande03.dlauvergne.fr/"),
    ("Calvados", "14", "https://www.demandelogement14.fr/imhowebGP14/"),
    ("Cantal", "15", "https://mademande15.dlauvergne.fr/"),
    ("Charente", "16", "https://www.demandelogement16.fr/imhowebGP16/"),
    ("Charente Maritime", "17", "https://www.demandelogement17.fr/imhowebGP17/"),
    ("Côte-d'Or", "21", "https://www.demandelogementbourgognefranchecombe.fr/imhowebGP21/"),
    ("Côtes-d'Armor", "22", "https://www.demandelogement22.fr/imhowebGP22/"),
    ("Doubs", "25", "https://www.demandelogementbourgognefranchecombe.fr/imhowebGP25/"),
    ("Finistère", "29", "https://www.demandelogement29.fr/imhowebGP29/"),
    ("Haute-garonne", "31", "https://www.demandelogement31.fr/imhowebGP31/"),
    ("Ille-et-Vilaine", "35", "https://www.demandelogement35.fr/imhowebGP35/"),
    ("Indre-et-Loire", "37", "https://www.demandelogement37.fr/imhowebGP37/"),
    ("Haute-loire", "43", "https://mademande43.dlauvergne.fr/"),
    ("Loire-atlantique", "44", "https://www.demandelogement44.fr/imhowebGP44/"),
    ("Maine-et-loire", "49", "https://www.demandelogement49.fr/imhowebGP49/"),
    ("Manche", "50", "https://www.demandelogement50.fr/imhowebgp-prod/"),
    ("Mayenne", "53", "https://www.demandelogement53.fr/imhowebGP53/"),
    ("Morbihan", "56", "https://www.demandelogement56.fr/imhowebGP56/"),
    ("Nièvre", "58", "https://www.demandelogementbourgognefranchecombe.fr/imhowebGP21/"),
    ("Orne", "61", "https://www.demandelogement61.fr/imhowebGP61/"),
    ("Puy-de-dôme", "63", "https://mademande63.dlauvergne.fr/"),
    ("Bas-rhin", "67", "https://www.demandelogement-alsace.fr/imhowebGP67/pages/67/67.html"),
    ("Haut-rhin", "68", "https://www.demandelogement-alsace.fr/imhowebGP67/pages/67/67.html"),
    ("Sarthe", "72", "https://www.demandelogement72.fr/imhowebGP72/"),
    ("Deux-sèvres", "79", "https://www.demandelogement79.fr/imhowebGP79/"),
    ("Vendée", "85", "https://www.demandelogement85.fr/imhowebGP85/"),
    ("Vienne", "86", "https://www.demandelogement86.fr/imhowebGP86/"),
    ("Vosges", "88", "https://vosges.demandelogement88.fr/imhowebGP88/"),
]
