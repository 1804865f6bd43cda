// The search page: a small interface on Pagefind's JS API, every word of it from
// the page (gettext catalogs), so a Kazakh page shows no English.
// Kazakh and Kyrgyz query words are cut back to their stems first (stemming.js);
// Pagefind then matches them as prefixes of the indexed words.
import { normaliseQuery, prepareRules } from "./stemming.js";

const PAGE_SIZE = 10;
const FILTERS = ["region", "category", "year"];

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const messages = JSON.parse(document.getElementById("search-messages").textContent);
const rules = prepareRules(JSON.parse(document.getElementById("search-stemming").textContent));
// "{{ SITEURL }}/" is relative in development builds and absolute (maybe with a
// sub-path such as /archive/) in published ones; resolved here, it works for both.
const siteRoot = new URL(form.dataset.siteRoot, document.baseURI);

let indexes = null; // Pagefind's instances for this page's language, newest part first
let latest = 0; // number of the newest search, so slower earlier ones are dropped
let pending = [];

function loadIndexes() {
  if (!indexes) {
    indexes = (async () => {
      const bundle = new URL("pagefind/", siteRoot);
      // Each part is a whole bundle with its own copy of pagefind.js: imported from there, it
      // is a module of its own, with its own WebAssembly memory and worker. (Instances made
      // with createInstance share one worker, and a second one loading its WebAssembly there
      // breaks the first: "memory access out of bounds".)
      const folders = [".", ...(await olderParts(bundle))];
      return Promise.all(folders.map(async (folder) => {
        const pagefind = await import(new URL(`${folder}/pagefind.js`, bundle).href);
        // Result URLs are stored from the site root ("/kk/2024/…"); prefix the site's own path.
        await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 30 });
        return pagefind;
      }));
    })();
  }
  return indexes;
}

// A language with more reports than one Pagefind run indexes (SEARCH_PAGES_PER_INDEX)
// has older parts, each a bundle of its own over whole months, listed newest first.
async function olderParts(bundle) {
  const response = await fetch(new URL("parts.json", bundle), { cache: "no-cache" });
  // An index written before parts existed (or left from then by a build with SEARCH_INDEX off) has none.
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`parts.json: ${response.status}`);
  const parts = await response.json();
  return parts[document.documentElement.lang] || [];
}

// Every part's results, in one list: by date, the newest part's come first (each part
// is sorted by Pagefind); by relevance, ordered by score, as Pagefind's mergeIndex does.
async function searchEveryPart(term, options) {
  const answers = await Promise.all((await loadIndexes()).map((index) => index.search(term, options)));
  if (answers.some((answer) => answer === null)) return null;
  const results = answers.flatMap((answer) => answer.results);
  if (!options.sort) results.sort((a, b) => b.score - a.score);
  return results;
}

function chosenFilters() {
  const filters = {};
  for (const name of FILTERS) {
    const value = form.elements[name].value;
    if (value) filters[name] = value;
  }
  return filters;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

function rememberInUrl(query) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const name of [...FILTERS, "sort"]) {
    if (form.elements[name].value) params.set(name, form.elements[name].value);
  }
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

// Pagefind's excerpt is text with <mark> around the matches; keep just those two.
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html").body.firstChild;
  const nodes = [];
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  const parts = [];
  if (data.meta.date) {
    const date = document.createElement("span");
    date.className = "search-date";
    date.textContent = data.meta.date;
    parts.push(date);
  }
  const regions = (data.filters && data.filters.region) || [];
  if (regions.length) {
    const region = document.createElement("span");
    region.className = "search-regions";
    region.textContent = regions.join(", ");
    parts.push(region);
  }
  parts.forEach((part, index) => {
    if (index) {
      const sep = document.createElement("span");
      sep.className = "sep";
      sep.setAttribute("aria-hidden", "true");
      sep.textContent = "·";
      meta.append(" ", sep, " ");
    }
    meta.append(part);
  });
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, meta, excerpt);
  return item;
}

async function showMore(searchNumber) {
  const batch = pending.slice(0, PAGE_SIZE);
  pending = pending.slice(PAGE_SIZE);
  const fragments = await Promise.all(batch.map((result) => result.data()));
  if (searchNumber !== latest) return;
  list.append(...fragments.map(resultItem));
  more.hidden = pending.length === 0;
}

async function runSearch() {
  const searchNumber = ++latest;
  list.setAttribute("aria-busy", "true");
  try {
    await searchAndShow(searchNumber);
  } catch (error) {
    console.error("Search failed:", error);
    // The index could not be loaded (not built, or the connection dropped): say so, try again next time.
    indexes = null;
    if (searchNumber === latest) status.textContent = messages.unavailable;
  } finally {
    if (searchNumber === latest) list.setAttribute("aria-busy", "false");
  }
}

async function searchAndShow(searchNumber) {
  const typed = input.value.trim();
  const filters = chosenFilters();
  rememberInUrl(typed);
  list.replaceChildren();
  more.hidden = true;
  pending = [];
  if (!typed && Object.keys(filters).length === 0) {
    status.textContent = messages.prompt;
    return;
  }
  status.textContent = messages.searching;
  const options = { filters };
  if (form.elements.sort.value === "newest") options.sort = { date: "desc" };
  // With no words, Pagefind lists every report that passes the filters.
  const results = await searchEveryPart(typed ? normaliseQuery(typed, rules) : null, options);
  if (searchNumber !== latest || results === null) return; // a newer search has started
  pending = results;
  if (pending.length === 0) {
    status.textContent = typed && Object.keys(filters).length === 0
      ? fill(messages.none, { query: typed }) : messages.noneFiltered;
    return;
  }
  status.textContent = fill(messages.count, { count: pending.length });
  await showMore(searchNumber);
}

let typingTimer = null;
input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(runSearch, 250);
});
form.addEventListener("change", (event) => {
  if (event.target !== input) runSearch();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  runSearch();
});
more.addEventListener("click", () => showMore(latest));

// A search sent from the header's box or a shared link: ?q=…&region=…
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const name of [...FILTERS, "sort"]) {
  const value = params.get(name);
  if (value && [...form.elements[name].options].some((option) => option.value === value)) {
    form.elements[name].value = value;
  }
}
runSearch();
