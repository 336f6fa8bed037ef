"""Which zone of the resource ceilings a commune belongs to.

Rule (arrêté du 29 juillet 1987 as amended): "Paris et communes limitrophes", then
"Île-de-France hors Paris et communes limitrophes" (départements 75, 77, 78, 91, 92,
93, 94, 95), then "autres régions". The list of communes bordering Paris below is the
one commonly used with the arrêté (*to be confirmed against the annex*); advisors can
correct a commune's zone in the admin.
"""

from .models import Zone

ILE_DE_FRANCE = {"75", "77", "78", "91", "92", "93", "94", "95"}

PARIS_NEIGHBOURS = {
    # Hauts-de-Seine
    "92012",  # Boulogne-Billancourt
    "92024",  # Clichy
    "92040",  # Issy-les-Moulineaux
    "92044",  # Levallois-Perret
    "92046",  # Malakoff
    "92049",  # Montrouge
    "92051",  # Neuilly-sur-Seine
    "92062",  # Puteaux
    "92064",  # Saint-Cloud
    "92073",  # Suresnes
    "92075",  # Vanves
    # Seine-Saint-Denis
    "93001",  # Aubervilliers
    "93006",  # Bagnolet
    "93045",  # Les Lilas
    "93048",  # Montreuil
    "93055",  # Pantin
    "93061",  # Le Pré-Saint-Gervais
    "93066",  # Saint-Denis
    "93070",  # Saint-Ouen-sur-Seine
    # Val-de-Marne
    "94018",  # Charenton-le-Pont
    "94033",  # Fontenay-sous-Bois
    "94037",  # Gentilly
    "94041",  # Ivry-sur-Seine
    "94042",  # Joinville-le-Pont
    "94043",  # Le Kremlin-Bicêtre
    "94052",  # Nogent-sur-Marne
    "94067",  # Saint-Mandé
    "94069",  # Saint-Maurice
    "94080",  # Vincennes
}


def zone_for(insee_code: str, department_code: str) -> str:
    """Return the ceilings zone of a commune from its INSEE and department codes."""
    if department_code == "75" or insee_code in PARIS_NEIGHBOURS:
        return Zone.PARIS
    if department_code in ILE_DE_FRANCE:
        return Zone.IDF
    return Zone.OTHER
