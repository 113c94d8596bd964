"""The filter language parser: every token kind, and errors that name the token."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveytui.search.query import Query, QueryError, Term, parse_query


def only_term(text: str) -> Term:
    query = parse_query(text)
    assert len(query.clauses) == 1 and len(query.clauses[0]) == 1, query.clauses
    return query.clauses[0][0]


def error_for(text: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    return info.value


# --------------------------------------------------------------------------- text terms


def test_words_are_anded_lowercased_and_typo_tolerant() -> None:
    query = parse_query("  Quantization   LLM ")
    assert [[t.value for t in clause] for clause in query.clauses] == [["quantization"], ["llm"]]
    assert all(t.kind == "text" and t.fuzzy and not t.negated for t in query.terms())


def test_exact_token_turns_off_typo_tolerance() -> None:
    term = only_term("'Prun")
    assert (term.kind, term.value, term.fuzzy) == ("text", "prun", False)


def test_prefix_suffix_and_whole_title() -> None:
    assert (only_term("^LLM").kind, only_term("^LLM").value) == ("prefix", "llm")
    assert (only_term("models$").kind, only_term("models$").value) == ("suffix", "models")
    assert (only_term("^orca$").kind, only_term("^orca$").value) == ("whole", "orca")


def test_quoted_phrase_is_one_exact_term_with_spaces_folded() -> None:
    term = only_term('"Large   Language\tModels"')
    assert (term.kind, term.value, term.fuzzy) == ("text", "large language models", False)


def test_quotes_keep_operators_literal() -> None:
    assert only_term('"!arxiv"').negated is False
    assert only_term('"!arxiv"').value == "!arxiv"
    assert only_term('"^llm"').kind == "text"


def test_negation_applies_to_words_phrases_and_fields() -> None:
    assert only_term("!arxiv").negated
    assert only_term('!"large language"').value == "large language"
    assert only_term('!"large language"').negated
    assert only_term("!is:read").negated and only_term("!is:read").kind == "is"
    assert only_term("!has:code").negated and only_term("!has:code").value == "code"


def test_a_second_bang_is_literal_text() -> None:
    term = only_term("!!")
    assert term.negated and term.value == "!"


def test_pipe_ors_adjacent_terms_with_or_without_spaces() -> None:
    spaced = parse_query("quant | prun llm")
    tight = parse_query("quant|prun llm")
    assert [[t.value for t in c] for c in spaced.clauses] == [["quant", "prun"], ["llm"]]
    assert [[t.value for t in c] for c in tight.clauses] == [["quant", "prun"], ["llm"]]
    assert [[t.value for t in c] for c in parse_query("a | b | c").clauses] == [["a", "b", "c"]]


def test_quoted_pipe_is_text() -> None:
    assert only_term('"a|b"').value == "a|b"


# --------------------------------------------------------------------------- field tokens


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("year:2023", 2023, 2023),
        ("year:=2023", 2023, 2023),
        ("year:>=2022", 2022, None),
        ("year:<=2021", None, 2021),
        ("year:>2020", 2021, None),
        ("year:<2024", None, 2023),
        ("year:2020..2022", 2020, 2022),
        ("year:2020..", 2020, None),
        ("year:..2022", None, 2022),
        ("YEAR:2023", 2023, 2023),
    ],
)
def test_year_forms(text: str, lo: int | None, hi: int | None) -> None:
    term = only_term(text)
    assert (term.kind, term.lo, term.hi) == ("year", lo, hi)


def test_substring_fields_are_lowercased() -> None:
    assert (only_term("venue:OSDI").kind, only_term("venue:OSDI").value) == ("venue", "osdi")
    assert only_term("sec:Compression").value == "compression"
    assert only_term("note:Baseline").value == "baseline"
    assert (only_term("tag:ToRead").kind, only_term("tag:ToRead").value) == ("tag", "toread")


def test_field_value_may_be_quoted() -> None:
    assert only_term('venue:"NeurIPS Workshop"').value == "neurips workshop"
    assert only_term('sec:"model compression"').value == "model compression"
    assert only_term('tag:"to read"').value == "to read"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("has:code", "code"),
        ("has:paper", "paper"),
        ("has:tags", "tag"),
        ("has:note", "note"),
        ("is:fav", "fav"),
        ("is:favourite", "fav"),
        ("is:starred", "fav"),
        ("is:read", "read"),
    ],
)
def test_has_and_is_values(text: str, value: str) -> None:
    assert only_term(text).value == value


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("cat:llm", ("llm",)),
        ("cat:LLMs", ("llm",)),
        ("cat:multi", ("multimodal",)),
        ("cat:Multimodal", ("multimodal",)),
        ("cat:diff", ("diffusion",)),
    ],
)
def test_category_by_id_or_display_name_prefix(text: str, ids: tuple[str, ...]) -> None:
    term = only_term(text)
    assert (term.kind, term.values) == ("cat", ids)


def test_colon_after_a_non_name_is_text() -> None:
    term = only_term("2:4")
    assert (term.kind, term.value) == ("text", "2:4")


def test_exact_or_quoted_text_with_a_colon_is_not_a_field() -> None:
    assert only_term("'qlora:").value == "qlora:"
    assert only_term('"https://github.com/"').value == "https://github.com/"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "token", "says"),
    [
        ("foo:bar", "foo:bar", "unknown filter token 'foo:bar'"),
        ("quant yaer:2023", "yaer:2023", "unknown filter token 'yaer:2023'"),
        ("https://arxiv.org", "https://arxiv.org", "unknown filter token"),
        ("venue:", "venue:", "needs a value"),
        ('venue:""', 'venue:""', "needs a value"),
        ("year:abc", "year:abc", "bad year"),
        ("year:23", "year:23", "bad year"),
        ("year:..", "year:..", "bad year"),
        ("year:2024..2020", "year:2024..2020", "runs backwards"),
        ("has:pdf", "has:pdf", "has: takes code, note, paper, tag"),
        ("is:unread", "is:unread", "is: takes fav, read"),
        ("cat:vision", "cat:vision", "unknown category"),
        ("!", "!", "nothing after '!'"),
        ("quant !", "!", "nothing after '!'"),
        ("|", "|", "'|' needs a term on both sides"),
        ("| quant", "|", "'|' needs a term on both sides"),
        ("quant |", "|", "'|' needs a term on both sides"),
        ("quant | | prun", "|", "'|' needs a term on both sides"),
        ('"large language', '"large language', "unbalanced quote"),
        ('llm "large', '"large', "unbalanced quote"),
        ('""', '""', "empty phrase"),
        ("^", "^", "needs some text"),
        ("$", "$", "needs some text"),
        ("'", "'", "needs some text"),
    ],
)
def test_errors_name_the_token(text: str, token: str, says: str) -> None:
    err = error_for(text)
    assert err.token == token
    assert says in str(err)
    assert str(err) == err.message
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    "text", ["zz:" + "x" * 500 + "\x1b[2J", '"unclosed\nphrase\u2028with\x1b]0;title\x07']
)
def test_error_for_a_huge_or_control_laden_token_stays_one_short_line(text: str) -> None:
    message = str(error_for(text))
    assert len(message.splitlines()) == 1
    assert not any(ch in message for ch in "\n\x1b\x07\u2028")
    assert len(message) < 200


# --------------------------------------------------------------------------- Query API


def test_empty_query() -> None:
    for text in ("", "   ", "\t\n"):
        query = parse_query(text)
        assert query.is_empty() and not query.has_ranking_terms()
        assert query.highlight_terms() == ()


def test_highlight_terms_are_positive_text_in_order_without_duplicates() -> None:
    query = parse_query('GPTQ !arxiv venue:iclr "Post-Training" ^Accurate quant | GPTQ models$')
    assert query.highlight_terms() == ("gptq", "post-training", "accurate", "quant", "models")


def test_ranking_only_with_positive_text() -> None:
    assert parse_query("quant has:code").has_ranking_terms()
    assert not parse_query("has:code year:2023 !arxiv").has_ranking_terms()


def test_uses_state() -> None:
    assert parse_query("quant !is:read").uses_state()
    assert parse_query("tag:x").uses_state() and parse_query("has:note").uses_state()
    assert not parse_query("quant has:code note").uses_state()


def test_query_constructor_parses_and_compares_by_text() -> None:
    assert Query("a b") == parse_query("a b")
    assert hash(Query("a b")) == hash(parse_query("a b"))
    with pytest.raises(QueryError):
        Query("year:x")


# --------------------------------------------------------------------------- properties


def assert_parses_or_reports(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as err:
        assert isinstance(err.token, str) and isinstance(err.message, str)
        assert len(str(err).splitlines()) == 1
        return
    query.highlight_terms()
    query.has_ranking_terms()
    assert all(t.value or t.kind == "year" for t in query.terms())


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_arbitrary_text_parses_or_raises_query_error(text: str) -> None:
    assert_parses_or_reports(text)


PIECES = st.sampled_from(
    [
        "quant", "LLM", "gptq", "a", "!", "'", "^", "$", "|", '"', ":", "..", ">=", "<", "=",
        "venue:", "year:", "has:", "is:", "tag:", "note:", "cat:", "sec:", "foo:", "2023",
        "2020..2022", "code", "fav", "read", "llms", "multi", "osdi", " ", "  ", "\t", "-", "?",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=12).map("".join))
def test_grammar_shaped_text_parses_or_raises_query_error(text: str) -> None:
    assert_parses_or_reports(text)


def test_parse_leniently_runs_the_well_formed_part_and_reports_the_error() -> None:
    from surveytui.search.query import parse_leniently

    query, error = parse_leniently("serving year:abc")
    assert query is not None
    assert error is not None and error.token == "year:abc"
    assert [t.value for t in query.terms()] == ["serving"]
    query, error = parse_leniently("serving")
    assert error is None and query is not None
    query, error = parse_leniently("is:foo foo:bar")
    assert query is not None and list(query.terms()) == []
    assert error is not None and error.token == "is:foo"
