"""`invoke build` ends with one summary line: articles per language, files written, time."""
import re
import subprocess
import sys

from sitebuild import PROJECT


def test_invoke_build_ends_with_a_summary_of_languages_and_files(tmp_path):
    output = tmp_path / "output"
    result = subprocess.run([sys.executable, "-m", "invoke", "build", "--output", str(output)],
                            cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    summary = [line for line in result.stdout.splitlines() if line.startswith("Built ")]
    assert len(summary) == 1
    match = re.fullmatch(r"Built (\d+) articles \((.*)\); (\d+) files written in [\d.]+ s", summary[0])
    assert match, summary[0]
    per_language = dict(part.split() for part in match.group(2).split(", "))
    for lang, count in per_language.items():
        articles = list((PROJECT / "content" / "articles").rglob(f"*.{lang}.md"))
        assert int(count) == len(articles)
    files = [path for path in output.rglob("*") if path.is_file()]
    assert int(match.group(3)) == len(files)
    assert "Done: Processed" not in result.stdout
