from ctscreen.text.sentences import sentence_spans, sentence_starts


def test_sentences_split_at_ends_not_abbreviations() -> None:
    text = (
        "Mr. Price said the U.S. would help. The TTP denied it! Was it Lt. Gen. Ahmed? Yes.\n\nNew paragraph"
    )
    spans = [text[a:b].strip() for a, b in sentence_spans(text)]
    assert spans == [
        "Mr. Price said the U.S. would help.",
        "The TTP denied it!",
        "Was it Lt. Gen. Ahmed?",
        "Yes.",
        "New paragraph",
    ]


def test_no_split_inside_numbers_or_initials() -> None:
    assert sentence_starts("Inflation was 3.5 percent, said J. Smith of the bank.") == [0]


def test_arabic_sentence_end() -> None:
    assert len(sentence_starts("قال المتحدث. أعلن تنظيم داعش")) == 2
