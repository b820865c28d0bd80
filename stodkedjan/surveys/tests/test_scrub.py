import pytest
from hypothesis import given
from hypothesis import strategies as st

from stodkedjan.surveys.scrub import ADDRESS, EMAIL, PERSONAL_NUMBER, PHONE, scrub


@pytest.mark.parametrize(
    ("text", "marker", "gone"),
    [
        ("Mitt personnummer är 850101-1234.", PERSONAL_NUMBER, "850101-1234"),
        ("pnr 19850101-1234", PERSONAL_NUMBER, "19850101-1234"),
        ("198501011234 är mitt nummer", PERSONAL_NUMBER, "198501011234"),
        ("samordningsnummer 850161-1234", PERSONAL_NUMBER, "850161-1234"),
        ("gammal: 120101+1234", PERSONAL_NUMBER, "120101+1234"),
        ("Ring mig på 070-123 45 67 efter fem", PHONE, "123 45 67"),
        ("mobil 0701234567", None, "0701234567"),
        ("+46 70 123 45 67", PHONE, "123 45 67"),
        ("0046701234567", PHONE, "0046701234567"),
        ("hemma 08-123 456 78", PHONE, "456 78"),
        ("Tel: 08 12 34 56", PHONE, "12 34 56"),
        ("mejla anna.svensson@gmail.com så svarar jag", EMAIL, "anna.svensson"),
        ("skriv till ali (at) hotmail.com", EMAIL, "hotmail"),
        ("Jag bor på Storgatan 12B lgh 1102 i Skärholmen", ADDRESS, "Storgatan 12"),
        ("Rinkebysvängen 5, 163 73 Spånga", ADDRESS, "163 73"),
        ("hos oss på Husby allé 3", ADDRESS, "allé 3"),
        ("Vi bor på Bredbyplan 4", ADDRESS, "Bredbyplan 4"),
    ],
)
def test_personal_data_is_removed(text, marker, gone):
    cleaned = scrub(text)
    assert gone not in cleaned
    if marker:
        assert marker in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Vi har 3 barn som är 2, 5 och 12 år.",
        "Sedan 2019 har vi bott här, 2023–2024 var svårt.",
        "Träffarna är klockan 17.30-19.00 på tisdagar.",
        "Det kostar 200 kr per termin, 10 träffar.",
        "Jag vill ha stöd på arabiska, somaliska och tigrinja.",
        "BVC och öppna förskolan på torget fungerar bra.",
    ],
)
def test_ordinary_answers_are_kept_as_written(text):
    assert scrub(text) == text


@given(st.text(max_size=300))
def test_scrubbing_is_stable(text):
    """Scrubbing what was already scrubbed changes nothing, and never fails on any text."""
    once = scrub(text)
    assert scrub(once) == once
