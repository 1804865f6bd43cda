"""Turn pages scraped from old news sites (text or HTML) into the archive's Markdown articles.

One module per step, in the order the pipeline runs them:

    reading    bytes → text: encoding, control characters, HTML extraction
    layout     text → paragraphs
    chrome     site chrome, datelines, bylines and repeated paragraphs out
    title      the headline, in readable case
    language   kk, ky, ru or en (Kazakh also in its Latin alphabet)
    gazetteer  the regions the text talks about
    dates      publication date and event dates
    article    the article model and its Markdown file
    pipeline   runs the steps for one source
    cli        `invoke import`: many sources, files written, reports printed
"""
