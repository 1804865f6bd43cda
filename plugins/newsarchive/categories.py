"""The controlled set of article kinds, each labelled in every language.

`Category: event-report` in an article names a kind by its key; any other
value is a content error. The key is also the URL part of the kind's pages.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    labels: dict  # language code -> label

    def label(self, lang: str) -> str:
        return self.labels[lang]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("news", {"kk": "Жаңалықтар", "ky": "Жаңылыктар", "ru": "Новости", "en": "News"}),
        Kind("event-report", {"kk": "Шара есептері", "ky": "Иш-чара кабарлары", "ru": "Отчёты о мероприятиях", "en": "Event reports"}),
        Kind("announcement", {"kk": "Хабарландырулар", "ky": "Кулактандыруулар", "ru": "Анонсы", "en": "Announcements"}),
        Kind("press-release", {"kk": "Баспасөз хабарламалары", "ky": "Пресс-релиздер", "ru": "Пресс-релизы", "en": "Press releases"}),
        Kind("interview", {"kk": "Сұхбаттар", "ky": "Маектер", "ru": "Интервью", "en": "Interviews"}),
    )
}
