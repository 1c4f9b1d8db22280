from django.db import models


class SourceKind(models.TextChoices):
    ARTICLE = "article", "News article"
    OFFICIAL_LIST = "official_list", "Official list"
    DATASET = "dataset", "Research dataset"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DISPUTES = "disputes", "Disputes"
