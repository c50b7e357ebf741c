import re

from app.main import refresh_content


def test_library_lists_cards_with_filters(client) -> None:
    html = client.get("/").text
    assert html.count('class="card"') == 3
    assert 'href="/demos/wavenet"' in html  # demo badge
    assert "A fixture paper about attention" in html  # gist
    assert "Ada Lovelace, Alan Turing, Grace Hopper et al." in html
    filtered = client.get("/", params={"tag": "audio"}).text
    assert filtered.count('class="card"') == 1 and "Dilated Waves" in filtered


def test_library_accepts_the_blank_fields_its_own_form_sends(client) -> None:
    response = client.get("/?q=&tag=&year=&sort=")
    assert response.status_code == 200 and response.text.count('class="card"') == 3


def test_paper_page_has_header_contents_summary_and_panels(client) -> None:
    html = client.get("/papers/attention-toy").text
    assert "<h1 id=\"paper-title\">Attention Is a Toy Example</h1>" in html
    assert 'href="https://arxiv.org/abs/1706.00000"' in html
    assert 'href="#scaled-dot-product"' in html  # table of contents
    assert 'class="math math-display"' in html
    assert 'id="annotations"' in html and "This paper has no live demo." in html


def test_paper_page_makes_no_external_requests(client) -> None:
    html = client.get("/papers/attention-toy").text
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded and all(url.startswith("/") for url in loaded)


def test_untitled_file_takes_its_heading(client) -> None:
    html = client.get("/papers/untitled-notes").text
    assert "<h1 id=\"paper-title\">Notes Without Front Matter</h1>" in html


def test_tag_and_search_pages(client) -> None:
    assert "Dilated Waves" in client.get("/tags/audio").text
    assert client.get("/tags/no-such-tag").status_code == 404
    html = client.get("/search", params={"q": "receptive field"}).text
    assert "<mark>" in html and "1 result" in html


def test_unknown_pages_and_bad_parameters_get_html_errors(client) -> None:
    missing = client.get("/papers/nope")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "There is no summary called" in missing.text
    bad = client.get("/", params={"page": "zero"})
    assert bad.status_code == 400 and "page" in bad.text


def test_demo_pages_link_back_to_their_papers(client) -> None:
    assert 'href="/papers/wave-toy"' in client.get("/demos/wavenet").text
    assert client.get("/demos/teleport").status_code == 404


def test_an_edited_summary_shows_its_new_text(client, settings) -> None:
    assert "the field is" in client.get("/papers/wave-toy").text
    path = settings.papers_dir / "wave-toy.md"
    path.write_text(path.read_text().replace("the field is", "the window spans"))
    refresh_content(client.app)  # what start-up does
    html = client.get("/papers/wave-toy").text
    assert "the window spans" in html and "the field is" not in html


def test_a_demo_page_shows_its_model_card_figures(client) -> None:
    import json

    from models.registry import DEMOS, find_demo

    card = json.loads(find_demo("colorization", DEMOS).weights[0].location.with_name("card.json").read_text())
    html = client.get("/demos/colorization").text
    assert "How well it works" in html and "AuC of ab error, 0-150" in html
    for row in ("classification", "regression", "grey"):
        assert f'<th scope="row">{row}</th><td>{card["validation"][row]["auc"]}</td>' in html


def test_the_404_page_says_what_it_means_once(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is no page at this address" in response.text
    assert "Not Found" not in response.text  # not the title again in Starlette's words


def test_best_match_is_offered_only_with_a_query(client) -> None:
    assert "Best match" not in client.get("/").text
    assert "Best match" not in client.get("/?sort=relevance").text  # asked for without a query: newest first
    assert '<option value="relevance" selected>Best match</option>' in client.get("/?q=attention").text


def test_library_cards_count_public_notes_only(client, make_account) -> None:
    from tests.conftest import passage_annotation

    ada = make_account("ada")
    for visibility in ("public", "public", "private"):
        created = client.post("/api/v1/annotations/", json=passage_annotation(visibility=visibility), headers=ada)
        assert created.status_code == 201
    html = client.get("/").text
    assert '<a class="note-count" href="/papers/wave-toy#annotations">2 public notes</a>' in html
    assert html.count('class="note-count"') == 1  # papers without public notes show none
    assert "2 public notes" in client.get("/tags/audio").text  # the tag page's cards too


def test_a_paper_page_lists_related_summaries(client, settings) -> None:
    from tests.conftest import write_paper

    write_paper(settings.papers_dir, "more-waves", '---\ntitle: "More Waves"\ntags: ["audio"]\n---\n'
                "Dilated causal convolutions and a larger receptive field for waveform samples.\n")
    refresh_content(client.app)
    html = client.get("/papers/wave-toy").text
    assert "Related summaries" in html and '<a href="/papers/more-waves">More Waves</a>' in html


def test_the_colourization_pages_spell_colour_one_way(client) -> None:
    from tests.conftest import CONTENT, write_paper

    for slug in ("colorful-image-colorization", "generative-visual-manipulation", "neural-algorithm-of-artistic-style"):
        write_paper(client.app.state.settings.papers_dir, slug, (CONTENT / "papers" / f"{slug}.md").read_text())
    refresh_content(client.app)
    for path in ("/demos/colorization", "/demos/colorization/test", "/papers/colorful-image-colorization"):
        html = re.sub(r"<(script|pre|code)\b.*?</\1>", " ", client.get(path).text, flags=re.S)
        html = re.sub(r'<a [^>]*class="chip"[^>]*>.*?</a>', " ", html)  # tags are names, not prose
        prose = re.sub(r"<[^>]+>", " ", html).replace("Colorful Image Colorization", "")  # the paper's title
        assert not re.findall(r"\b[Cc]olor\w*|\b[Gg]ray\w*", prose), path
