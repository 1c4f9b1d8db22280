from django.db import models


class Measure(models.TextChoices):
    """The fixed vocabulary of sanctions measures."""

    AID_SUSPENSION = "aid_suspension", "Aid suspension"
    ARMS_EMBARGO = "arms_embargo", "Arms embargo"
    ARMS_RESTRICTIONS = "arms_restrictions", "Arms restrictions"
    ASSET_FREEZE = "asset_freeze", "Asset freeze"
    DEBARMENT = "debarment", "Debarment"
    EXPORT_CONTROL = "export_control", "Export control"
    FINANCIAL_RESTRICTIONS = "financial_restrictions", "Financial restrictions"
    IMPORT_RESTRICTIONS = "import_restrictions", "Import restrictions"
    INVESTMENT_BAN = "investment_ban", "Investment ban"
    SERVICES_BAN = "services_ban", "Services ban"
    PROHIBITION_TO_SATISFY_CLAIMS = "prohibition_to_satisfy_claims", "Prohibition to satisfy claims"
    SECTORAL_SANCTIONS = "sectoral_sanctions", "Sectoral sanctions"
    TRANSPORTATION_RESTRICTIONS = "transportation_restrictions", "Transportation restrictions"
    TRAVEL_BAN = "travel_ban", "Travel ban"


class RegimeStatus(models.TextChoices):
    """Derived from the dates, never stored: see sanctions.selectors."""

    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class DesignationKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    ENTITY = "entity", "Entity"
    VESSEL = "vessel", "Vessel"
    AIRCRAFT = "aircraft", "Aircraft"


class DesignationStatus(models.TextChoices):
    """Derived from delisted_on, never stored."""

    LISTED = "listed", "Listed"
    DELISTED = "delisted", "Delisted"


class IdentifierType(models.TextChoices):
    """The kinds of identifier a list gives for a designation."""

    PASSPORT = "passport", "Passport"
    NATIONAL_ID = "national_id", "National identification number"
    TAX_ID = "tax_id", "Tax identification number"
    REGISTRATION = "registration", "Company or business registration number"
    IMO = "imo", "IMO number (ship or shipping company)"
    MMSI = "mmsi", "Maritime Mobile Service Identity (MMSI)"
    SWIFT_BIC = "swift_bic", "SWIFT/BIC code"
    VESSEL_REGISTRATION = "vessel_registration", "Vessel registration number"
    WEBSITE = "website", "Website"
    EMAIL = "email", "E-mail address"
    AIRCRAFT_SERIAL = "aircraft_serial", "Aircraft manufacturer's serial number"
    AIRCRAFT_TAIL = "aircraft_tail", "Aircraft tail number"
    OTHER = "other", "Other document or number"


class AddressKind(models.TextChoices):
    """What a designation's address is: where it is (or was) found, or where a person was born."""

    ADDRESS = "address", "Address"
    PLACE_OF_BIRTH = "place_of_birth", "Place of birth"
