"""Rebuild territoires/data/*.csv.gz from the @etalab/decoupage-administratif npm package.

The portal ships the extract so that it never downloads data at run time:
    npm install @etalab/decoupage-administratif@6.0.0 --prefix /tmp/geo
    python scripts/extract_communes.py /tmp/geo/node_modules/@etalab/decoupage-administratif/data
The data is published by Etalab under the Licence Ouverte 2.0 (INSEE's Code officiel
géographique and La Poste's postal codes).
"""

import csv
import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "territoires" / "data"


def main(source):
    source = Path(source)
    communes = json.loads((source / "communes.json").read_text())
    departments = json.loads((source / "departements.json").read_text())
    regions = {r["code"]: r["nom"] for r in json.loads((source / "regions.json").read_text())}
    # Each commune's EPCI (intercommunalité), for "Élargir mes souhaits": the communes
    # around those wished. Municipal districts take their city's.
    epci_of = {
        member["code"]: epci["code"]
        for epci in json.loads((source / "epci.json").read_text())
        for member in epci["membres"]
    }
    with gzip.open(OUT / "departements.csv.gz", "wt", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "nom", "region_code", "region_nom"])
        for dep in departments:
            writer.writerow(
                [dep["code"], dep["nom"], dep["region"], regions.get(dep["region"], "")]
            )
    kept = 0
    with gzip.open(OUT / "communes.csv.gz", "wt", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["code", "nom", "departement", "codes_postaux", "population", "type", "epci"]
        )
        for c in communes:
            # Current communes and the municipal districts of Paris, Lyon and Marseille:
            # offers give an arrondissement (75111), requests may give the city (75056).
            if c["type"] not in ("commune-actuelle", "arrondissement-municipal"):
                continue
            if "departement" not in c:
                continue
            writer.writerow(
                [
                    c["code"],
                    c["nom"],
                    c["departement"],
                    " ".join(c.get("codesPostaux", [])),
                    c.get("population", 0),
                    c["type"],
                    epci_of.get(c.get("commune", c["code"]), ""),
                ]
            )
            kept += 1
    print(f"{kept} communes, {len(departments)} départements")


if __name__ == "__main__":
    main(sys.argv[1])
