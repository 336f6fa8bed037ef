"""Questions and answers of the help page, in the guide's words."""

FAQ = [
    (
        "Vous n'arrivez pas à vous connecter ?",
        "Vérifiez que vous avez cliqué sur le lien de confirmation reçu par email "
        "(« Action Logement Services : Demande d'accès ») et choisi votre mot de passe. "
        "Ce lien expire dans 12 heure(s) : passé ce délai, demandez-en un nouveau depuis la "
        "page de connexion. Si vous avez oublié votre mot de passe, cliquez sur "
        "« Mot de passe oublié ? ».",
    ),
    (
        "Qu'est-ce que le Numéro Unique (NUD ou NUR) ?",
        "C'est votre identifiant indispensable pour vous positionner sur une offre de logement "
        "social. Vous l'obtenez en créant votre demande de logement social (saisie de votre "
        "demande et dépôt de l'ensemble de vos justificatifs) sur demande-logement-social.gouv.fr.",
    ),
    (
        "Je n'ai pas reçu mon code d'accès.",
        "Votre code d'accès est envoyé sur l'adresse mail que vous avez indiquée dans le cadre de "
        "l'obtention de votre Numéro Unique. N'hésitez pas à vérifier dans vos spams. Ce code est "
        "actif durant un délai de 24h. Si vous n'avez plus accès à cette boîte mail, vous devez "
        "vous rendre sur le site d'origine d'enregistrement afin de modifier cet email.",
    ),
    (
        "Pourquoi ne vois-je aucune offre ?",
        "Il est possible que votre situation ne corresponde à aucun logement disponible. Vous "
        "pouvez élargir votre zone de recherche sur demande-logement-social.gouv.fr puis, en vous "
        "reconnectant sur AL'in, cliquer sur « Mettre à jour ma demande ».",
    ),
    (
        "Combien de candidatures puis-je déposer ?",
        "Vous ne pouvez avoir qu'une seule candidature active : vous vous positionnez sur un seul "
        "logement à la fois. Vous pouvez annuler cette candidature à tout moment en cliquant sur "
        "« Annuler cette candidature ».",
    ),
    (
        "Qui décide de l'attribution du logement ?",
        "Le bailleur, via sa Commission d'Attribution des Logements et d'Examen de l'Occupation "
        "des Logements (CALEOL), est responsable de l'attribution du logement. Le bailleur vous "
        "transmet le résultat de la Commission, que vous retrouvez aussi dans le suivi de votre "
        "candidature.",
    ),
    (
        "Comment modifier ma demande ?",
        "Pour toute modification, vous devez vous connecter sur demande-logement-social.gouv.fr, "
        "puis revenir sur AL'in et cliquer sur « Mettre à jour ma demande ».",
    ),
]
