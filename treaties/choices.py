from django.db import models


class PartyKind(models.TextChoices):
    STATE = "state", "State"
    FORMER_STATE = "former_state", "Former state"
    ORGANISATION = "organisation", "International organisation or body"


class TreatyKind(models.TextChoices):
    BILATERAL = "bilateral", "Bilateral"
    MULTILATERAL = "multilateral", "Multilateral"


class TreatyStatus(models.TextChoices):
    """Derived from the dates, never stored: see treaties.selectors."""

    UNKNOWN = "unknown", "Unknown (not known to be signed or in force)"
    SIGNED = "signed", "Signed, not known to be in force"
    IN_FORCE = "in_force", "In force"
    ENDED = "ended", "Ended"


class EndCause(models.TextChoices):
    TERMINATION = "termination", "Termination"
    EXPIRY = "expiry", "Expiry"
    WITHDRAWAL = "withdrawal", "Withdrawal of a party"
    REPLACEMENT = "replacement", "Replaced by a later treaty"


class ConsentType(models.TextChoices):
    """How a party consented to be bound (Vienna Convention on the Law of Treaties, arts. 11-16)."""

    RATIFICATION = "ratification", "Ratification"
    ACCESSION = "accession", "Accession"
    ACCEPTANCE = "acceptance", "Acceptance"
    APPROVAL = "approval", "Approval"
    SUCCESSION = "succession", "Succession"


class Obligation(models.TextChoices):
    """ATOP alliance obligations, plus cooperation kinds that treaty texts state."""

    DEFENSE = "defense", "Defense (assistance if a party is attacked)"
    OFFENSE = "offense", "Offense"
    NEUTRALITY = "neutrality", "Neutrality"
    NON_AGGRESSION = "non_aggression", "Non-aggression"
    CONSULTATION = "consultation", "Consultation"
    ECONOMIC_COOPERATION = "economic_cooperation", "Economic cooperation"
    CULTURAL_COOPERATION = "cultural_cooperation", "Cultural cooperation"
    MILITARY_TECHNICAL_COOPERATION = (
        "military_technical_cooperation",
        "Military-technical cooperation",
    )


class MilitaryAid(models.TextChoices):
    """What military aid an alliance provides for (ATOP's ``milaid`` codes 0 to 4)."""

    NONE = "none", "No provision for military aid"
    GENERAL = "general", "A general provision for military aid"
    GRANTS_OR_LOANS = "grants_or_loans", "Grants or loans"
    TRAINING_OR_TECHNOLOGY = "training_or_technology", "Military training or technology"
    GRANTS_AND_TRAINING = (
        "grants_and_training",
        "Grants or loans, and military training or technology",
    )
