// Kazakh and Kyrgyz query words cut back to a stem for Pagefind's prefix search.
// The same algorithm as plugins/newsarchive/stemming.py (read its docstring for
// the why); the rules are the data in stemming.json, which the search page
// embeds for its language. Keep the two implementations in step: the browser
// tests compare them word for word.

export function prepareRules(raw) {
  if (!raw) return null;
  const classes = {};
  for (const [name, endings] of Object.entries(raw.classes)) {
    classes[name] = endings.split(/\s+/).filter(Boolean);
  }
  const layers = raw.layers.map((layer) => {
    const candidates = [];
    for (const rule of layer.rules) {
      const after = (rule.after || []).flatMap((name) => classes[name]);
      for (const suffix of rule.suffixes) candidates.push([suffix, after]);
    }
    // Longest first; Array.prototype.sort is stable, as Python's sorted().
    return candidates.sort((a, b) => length(b[0]) - length(a[0]));
  });
  return {
    minStem: raw.min_stem,
    vowels: new Set(Array.from(raw.vowels)),
    alternations: new Set(Array.from(raw.alternations || "")),
    keep: new Set(raw.keep || []),
    layers,
  };
}

function length(text) {
  return Array.from(text).length;
}

function stemOk(stem, rules) {
  return length(stem) >= rules.minStem && Array.from(stem).some((letter) => rules.vowels.has(letter));
}

export function normaliseWord(word, rules) {
  if (!rules) return word;
  let current = word.normalize("NFC").toLowerCase();
  let lastSuffix = "";
  for (const candidates of rules.layers) {
    if (rules.keep.has(current)) break;
    for (const [suffix, after] of candidates) {
      if (!current.endsWith(suffix)) continue;
      const stem = current.slice(0, current.length - suffix.length);
      if (stemOk(stem, rules) && (after.length === 0 || after.some((ending) => stem.endsWith(ending)))) {
        current = stem;
        lastSuffix = suffix;
        break;
      }
    }
  }
  if (lastSuffix && rules.vowels.has(lastSuffix[0]) && rules.alternations.has(current.slice(-1))
      && !rules.keep.has(current) && stemOk(current.slice(0, -1), rules)) {
    current = current.slice(0, -1);
  }
  return current;
}

const LETTER = /\p{L}/u;

function normaliseToken(token, rules) {
  let start = 0;
  let end = token.length;
  while (start < end && !LETTER.test(token[start])) start += 1;
  while (end > start && !LETTER.test(token[end - 1])) end -= 1;
  const core = token.slice(start, end);
  const hyphen = core.lastIndexOf("-");
  const head = hyphen >= 0 ? core.slice(0, hyphen + 1) : "";
  const last = hyphen >= 0 ? core.slice(hyphen + 1) : core;
  return token.slice(0, start) + head + normaliseWord(last, rules) + token.slice(end);
}

export function normaliseQuery(query, rules) {
  if (!rules || query.includes('"')) return query;
  return query.split(/\s+/).filter(Boolean).map((token) => normaliseToken(token, rules)).join(" ");
}
