"""The worked example's published 2018/19 ratings (shared/DOMAIN.md), typed by hand once for every test.

Threat names are spelled as the example's workshop workbooks spell them; ratings are before any override.
"""

from __future__ import annotations

# The themes sheet's order, then each theme's threats with the published 2018/19 ratings (shared/DOMAIN.md),
# threat names as the workshop workbooks spell them.
THEME_RATINGS: dict[str, dict[str, str]] = {
    "Domestic abuse & sexual violence": {
        "Domestic homicide": "Moderate",
        "Domestic abuse": "High",
        "Child sexual abuse & exploitation": "High",
        "Rape & sexual assault": "High",
        "Other sexual offences": "Standard",
    },
    "Drug-related harm": {
        "Drug-related deaths": "Moderate",
        "County lines / dangerous drug networks": "High",
        "Problem drug use": "High",
        "Trafficking of Class A drugs": "High",
        "Trafficking of other drugs": "Standard",
        "Possession of drugs": "Standard",
    },
    "Alcohol-related harm": {
        "Problem drinkers": "High",
        "Alcohol-related hospital admissions": "High",
        "Alcohol-related crime": "Moderate",
    },
    "Serious and organised crime": {
        "Modern slavery": "Moderate",
        "Cyber dependent crime / fraud": "Moderate",
        "Cyber related vulnerability": "Standard",
    },
    "Hate crime and Prevent": {
        "Terrorist incident": "High",
        "Terrorist activity": "Moderate",
        "Hate crime": "Moderate",
    },
    "Night time economy": {
        "NTE violence": "Moderate",
        "NTE vulnerability / sexual harm": "Standard",
        "NTE related ASB": "Standard",
    },
    "Anti-social behaviour": {
        "Anti-social behaviour": "Standard",
        "Public order": "Standard",
        "Criminal damage": "Standard",
        "Arson": "Standard",
    },
    "Road traffic collisions": {
        "Fatal & serious collisions": "High",
        "Slight collisions": "Standard",
    },
    "Acquisitive and violent crime": {
        "Homicide": "Moderate",
        "Burglary residential": "Standard",
        "Burglary commercial": "Standard",
        "Robbery": "Standard",
        "Other theft": "Standard",
        "Shoplifting": "Standard",
        "Theft from motor vehicle": "Standard",
        "Theft of motor vehicle": "Standard",
        "Violence with injury": "Standard",
        "Violence without injury": "Standard",
    },
}
CARRIED_FORWARD = (
    "Anti-social behaviour",
    "Public order",
    "Criminal damage",
    "Arson",
    "Fatal & serious collisions",
    "Slight collisions",
)

# The same ratings, one per threat.
PUBLISHED: dict[str, str] = {threat: rating for threats in THEME_RATINGS.values() for threat, rating in threats.items()}
