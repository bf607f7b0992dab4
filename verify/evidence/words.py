"""Word lists of the evidence matcher: stop words and titles (never names), number words and
month names in English and Hindi. Devanagari lists are compared by :func:`verify.text.match_key`."""

from __future__ import annotations

from verify.text import match_key

# Frequent Hindi function words, verbs, pronouns, titles and generic nouns: never read as names.
HINDI_STOP_WORDS = """
का के की को में से ने पर और या व एवं है हैं था थे थी थीं हो होगा होगी होंगे होने हुआ हुए हुई होता होती होते
गया गए गई गयी कि जो जिस जिसे जिसके जिसकी जिन्हें जिन्होंने यह वह ये वे इस उस इन उन इसे उसे इन्हें उन्हें इसके उसके
इनके उनके इसकी उसकी इनकी उनकी इसका उसका इनका उनका उन्होंने इन्होंने उसने इसने भी तो ही तक साथ लिए लिये बाद पहले
अब जब तब यहां यहाँ वहां वहाँ वहीं यहीं जहां कहां क्या क्यों कैसे कौन अपने अपनी अपना अपनों कहा कहे कहते कहती कहता
कहना बताया बताते बताती बताता किया किए किये की कर करने करता करते करती करना करेंगे करेगा करेगी कराया रहा रहे रही
रहें रहेगा रहेंगे रखना रखेगा दिया दिए दी दिये देने देना लिया ले दे देते नहीं न ना बहुत सभी सब कई कुछ अन्य आदि
द्वारा अनुसार हवाले मुताबिक बकौल दौरान बीच बारे लेकर वाले वाली वाला वालों एक दोनों पहला पहली दूसरा दूसरी दूसरे
ओर तरफ तरह रूप जैसे जैसा जैसी ऐसे ऐसा ऐसी फिर लेकिन परंतु किंतु मगर बल्कि क्योंकि इसलिए अगर यदि तथा सकता सकते सकती
चाहिए गये हुये जाएगा जाएगी जाएंगे जाने जाता जाती जाते जा सके मिला मिली मिले बना बनी बने अधिक ज्यादा कम सबसे
श्री श्रीमती सुश्री डॉ डॉक्टर राष्ट्रपति प्रधानमंत्री मंत्री मुख्यमंत्री विदेश रक्षा नेता नेताओं प्रवक्ता अध्यक्ष सचिव
सरकार अधिकारी अधिकारियों समाचार एजेंसी रिपोर्ट बयान खबर ख़बर सूत्रों सूत्र दिन साल वर्ष महीने समय बार बात लोग लोगों
घंटे घंटों मिनट आज कल सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार शनिवार रविवार स्थित शामिल जारी उम्मीद
इसके अलावा अलावा तहत प्रति ओर से
"""
ENGLISH_STOP_WORDS = """
a an the and or but nor in on at to of for from by with as into onto over under about after before during
since until while when where what which who whom whose why how that this these those there here he she it
they we i you me him her his its their our your us them is are was were be been being has have had do does
did will would shall should can could may might must not no yes so if then than also both all any some many
much more most other such only even just still yet however meanwhile earlier later according said says told
asked one today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr
president prime minister foreign defence defense secretary spokesman spokeswoman spokesperson leader chairman
chancellor king queen sir lord comrade general gen senator governor mayor ambassador deputy vice chief head
official officials photo file read see update updated
"""
# Words of a capitalised run that are titles, not part of the name ("President Vladimir Putin").
ENGLISH_TITLES = frozenset(
    "president prime minister foreign defence defense secretary spokesman spokeswoman spokesperson "
    "leader chairman chancellor king queen sir lord comrade general gen senator governor mayor "
    "ambassador deputy vice chief mr mrs ms dr".split()
)

NUMBER_WORDS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
    "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6, "छह्": 6, "सात": 7,
    "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "बीस": 20,
}  # fmt: skip
EN_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
HI_MONTHS: dict[str, int] = {
    "जनवरी": 1, "फरवरी": 2, "फ़रवरी": 2, "मार्च": 3, "अप्रैल": 4, "अप्रेल": 4, "मई": 5, "जून": 6,
    "जुलाई": 7, "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10,
    "नवंबर": 11, "नवम्बर": 11, "दिसंबर": 12, "दिसम्बर": 12,
}  # fmt: skip

HINDI_STOP: frozenset[str] = frozenset(match_key(w) for w in HINDI_STOP_WORDS.split())
ENGLISH_STOP: frozenset[str] = frozenset(ENGLISH_STOP_WORDS.split())
NUMBER_WORD_KEYS: dict[str, int] = {match_key(w): n for w, n in NUMBER_WORDS.items()}
HI_MONTH_KEYS: dict[str, int] = {match_key(w): n for w, n in HI_MONTHS.items()}
# Never read as names: those words, months and number words.
NOT_NAME_HI: frozenset[str] = (
    HINDI_STOP | set(HI_MONTH_KEYS) | {k for k in NUMBER_WORD_KEYS if not k.isascii()}
)
NOT_NAME_EN: frozenset[str] = ENGLISH_STOP | set(EN_MONTHS) | {k for k in NUMBER_WORDS if k.isascii()}
