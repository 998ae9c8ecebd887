/* The search page: every article containing the words, newest first (or 按相关度), 10 at a time, with an
   exact count. The index (sitegen/searchindex.py) is one folder a shard, newest first in the manifest; a
   word is looked up in every shard at once, one small term file each (a long or rare word also reads its
   bigrams' positions, where candidates need it), so the first page waits only for the newest shards and
   the count for the rest. */
(function () {
  var form = document.getElementById("search-form");
  if (!form) return;
  // Both scripts load async (search.html): whichever comes second starts the page.
  if (window.SitegenSearchText) page(); else window.sitegenSearchStart = page;

  function page() {
    var T = window.SitegenSearchText;
    var input = document.getElementById("search-q");
    var sectionSelect = document.getElementById("search-section");
    var yearSelect = document.getElementById("search-year");
    var sortSelect = document.getElementById("search-sort");
    var orderLine = document.getElementById("search-order");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var bundle = form.getAttribute("data-bundle"), base = form.getAttribute("data-base");
    var PAGE = 10;
    // 按相关度, for each word: TITLE if it is in the title, SUBTITLE if in the subtitle, and for its n other
    // occurrences n(K1+1)/(n+K1) (BM25's saturation, with no length normalisation: the first occurrence counts
    // most, and no number of them reaches K1+1 < SUBTITLE, nor SUBTITLE and them TITLE), times the word's idf;
    // ties go to the newer article. For one word: title first, then subtitle, then the most occurrences.
    var K1 = 1.2, TITLE = 5, SUBTITLE = 2.5;
    var ORDER = {
      "": "排序：按时间，最新发布的文章在前。",
      relevance: "排序：按相关度，标题含查找词的在前，其次是副标题含的，再按正文中出现次数从多到少；相同的，较新的在前。",
    };
    var NONE = { ranks: [], values: [] };
    var manifest = null, cached = {}, run = 0, current = null;
    var unknown = [];  // filters of the address the site does not have (an old link): said, then searched without

    function setStatus(text) {
      if (unknown.length && text) text = "没有" + unknown.join("和") + "，已在全部中查找。" + text;
      // The preview re-indexes after each edit in the background; until it is done, the page says so.
      if (manifest && manifest.updating) text += "（搜索索引正在更新，刚修改的文章可能还查不到，稍后再搜索即可。）";
      if (status.textContent !== text) status.textContent = text;
    }

    function load() {
      if (manifest && manifest.updating) {  // the preview may have finished its index since: read it again
        var wanted = [sectionSelect.value, yearSelect.value];
        manifest = null;
        cached = {};
        [sectionSelect, yearSelect].forEach(function (select, i) {
          while (select.options.length > 1) select.remove(1);
          select.setAttribute("data-wanted", wanted[i]);
        });
      }
      if (manifest) return Promise.resolve();
      // Revalidated every time (a cached manifest would name files a newer build has replaced); the page's
      // head asked for it already, before its styles and scripts.
      var early = window.sitegenSearchManifest;
      window.sitegenSearchManifest = null;
      return (early || fetch(bundle + "manifest.json", { cache: "no-cache" })).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        manifest = data;
        manifest.shards.forEach(function (shard, number) { shard.number = number; });
        if (manifest.updating) setStatus("");
        fillFilters();
      });
    }

    // ---------------------------------------------------------------- reading the index

    function shardFile(shard, name) { return bundle + shard.code + "/" + name + "?v=" + shard.v; }

    function fetched(url, read) {
      if (!cached[url]) {
        cached[url] = fetch(url).then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return read(response);
        }).catch(function (error) {
          delete cached[url];  // the next search asks again
          throw error;
        });
      }
      return cached[url];
    }

    function bytes(url) {
      return fetched(url, function (response) { return response.arrayBuffer().then(function (b) { return new Uint8Array(b); }); });
    }

    function memo(key, make) { return cached[key] || (cached[key] = make()); }

    // A search for a tag's very name points to the tag's page ({name, url, count}, or null): its articles may not
    // say the word, and tags are not searched as text.
    function tagNamed(query) {
      return memo("tags", function () {
        return fetch(bundle + "tags.json", { cache: "no-cache" }).then(function (response) {
          return response.ok ? response.json() : {};
        }).catch(function () { return {}; });
      }).then(function (tags) {
        var found = Object.prototype.hasOwnProperty.call(tags, query) ? tags[query] : null;
        return found ? { name: query, url: found[0], count: found[1] } : null;
      });
    }

    function tagItem(tag) {  // before the results, out of their numbering
      var li = document.createElement("li");
      li.className = "search-tag";
      li.appendChild(document.createTextNode("按标签查看："));
      var link = document.createElement("a");
      link.href = base + tag.url;
      link.textContent = "“" + tag.name + "”（" + tag.count + " 篇文章）";
      li.appendChild(link);
      return li;
    }

    // A term's entry in a shard ({ranks, values}), or null.
    function lookup(shard, term) {
      return memo("t\0" + shard.code + "\0" + term, function () {
        return bytes(shardFile(shard, "t" + T.termBucket(term, shard.terms) + ".bin")).then(function (data) {
          return T.findTerm(data, T.utf8(term));
        });
      });
    }

    function positionsOf(shard, term) {
      return memo("p\0" + shard.code + "\0" + term, function () {
        return bytes(shardFile(shard, "p" + T.termBucket(term, shard.positions) + ".bin")).then(function (data) {
          return T.findPositions(data, T.utf8(term));
        });
      });
    }

    function docsOf(shard) {
      return memo("d\0" + shard.code, function () { return bytes(shardFile(shard, "docs.bin")).then(T.readDocs); });
    }

    function sectionsOf(shard) {
      return fetched(shardFile(shard, "sections.txt"), function (response) { return response.text(); });
    }

    function find(sorted, value) {  // index of value in an ascending array, or -1
      var lo = 0, hi = sorted.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (sorted[mid] < value) lo = mid + 1; else hi = mid;
      }
      return lo < sorted.length && sorted[lo] === value ? lo : -1;
    }

    function intersect(a, b) {
      var out = [], i = 0, j = 0;
      while (i < a.length && j < b.length) {
        if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
      }
      return out;
    }

    function unique(items) { return items.filter(function (item, i) { return items.indexOf(item) === i; }); }

    // One word's articles in a shard: {ranks (ascending), values (occurrences outside the title and subtitle
    // * 4 + 2 in the title + 1 in the subtitle)}. A word of up to four units is a term when the shard kept it;
    // a longer one is found from the positions of 4-grams covering it, or failing those of the cheapest cover
    // of its bigrams and kept 4-grams.
    function wordHits(shard, units, fields) {
      if (units.length <= T.GRAM_MAX) {
        return lookup(shard, units.join("")).then(function (entry) {
          return entry || (units.length <= 2 ? NONE : byCheapest(shard, units, [], fields));
        });
      }
      var cover = coverPieces(units), terms = cover.map(function (piece) { return piece.term; });
      return byPieces(shard, cover, [], false, fields).then(function (found) {
        return found || byCheapest(shard, units, terms, fields);
      });
    }

    // The word from the pieces whose positions weigh least (a rare 4-gram rather than the two common bigrams it
    // spans: 中华人民 rather than 中华, 华人, 人民), among the shard's bigrams and kept 4-grams, which together
    // cover every unit; none when the shard lacks one of its bigrams. Every term found prunes the candidates.
    function byCheapest(shard, units, prune, fields) {
      var grams = [];
      [2, T.GRAM_MAX].forEach(function (length) {
        for (var offset = 0; offset + length <= units.length; offset++) {
          grams.push({ term: units.slice(offset, offset + length).join(""), offset: offset, length: length });
        }
      });
      return Promise.all(grams.map(function (gram) { return lookup(shard, gram.term); })).then(function (entries) {
        if (grams.some(function (gram, k) { return gram.length === 2 && !entries[k]; })) return NONE;
        var best = [{ cost: 0, pieces: [] }];  // best[i]: the cheapest pieces covering units 0 .. i-1
        for (var i = 0; i < units.length; i++) {
          if (!best[i]) continue;
          grams.forEach(function (gram, k) {
            var end = gram.offset + gram.length;
            if (!entries[k] || gram.offset > i || end <= i) return;
            var cost = best[i].cost + weight(entries[k]);
            if (!best[end] || cost < best[end].cost) best[end] = { cost: cost, pieces: best[i].pieces.concat([gram]) };
          });
        }
        var found = grams.filter(function (gram, k) { return entries[k]; }).map(function (gram) { return gram.term; });
        return byPieces(shard, best[units.length].pieces, prune.concat(found), true, fields);
      });
    }

    function weight(entry) {  // what reading a term's positions costs: none when they are in its entry
      if (entry.positions) return 0;
      var occurrences = entry.values.length;
      for (var i = 0; i < entry.values.length; i++) occurrences += entry.values[i] >> 2;
      return occurrences;
    }

    // 4-grams at 0, 3, 6 ... and at the end: each overlaps the next, so together they lie in one run.
    function coverPieces(units) {
      var pieces = [], last = units.length - T.GRAM_MAX;
      for (var offset = 0; offset < last; offset += T.GRAM_MAX - 1) pieces.push(offset);
      pieces.push(last);
      return pieces.map(function (offset) { return { term: units.slice(offset, offset + T.GRAM_MAX).join(""), offset: offset }; });
    }

    // Where `pieces` ({term, offset}, the first at 0) all occur at their offsets: the word they make. The
    // candidates are the articles holding every piece (and every term of `prune` the shard has); their
    // positions tell the rest. When a piece is no term of the shard: nothing if `every` (a bigram), else
    // null (a 4-gram the shard did not keep: the caller tries the bigrams). Whether an occurrence is in the
    // title or subtitle is asked (docs.bin) only when `fields` (按相关度 needs it; the count does not).
    function byPieces(shard, pieces, prune, every, fields) {
      var terms = unique(pieces.map(function (piece) { return piece.term; }));
      var lookups = terms.concat(prune).map(function (term) { return lookup(shard, term); });
      return Promise.all(lookups).then(function (entries) {
        var own = entries.slice(0, terms.length);
        if (own.some(function (entry) { return !entry; })) return every ? NONE : null;
        var candidates = entries.filter(Boolean).map(function (entry) { return entry.ranks; }).reduce(intersect);
        if (!candidates.length) return NONE;
        var docs = fields ? docsOf(shard) : Promise.resolve({ titleEnds: [], subtitleEnds: [] });
        var reads = [docs].concat(terms.map(function (term, k) { return own[k].positions || positionsOf(shard, term); }));
        return Promise.all(reads).then(function (got) {
          var docs = got[0], at = {};
          terms.forEach(function (term, k) { at[term] = { entry: own[k], positions: got[k + 1] }; });
          var found = { ranks: [], values: [] };
          candidates.forEach(function (rank) {
            var lists = pieces.map(function (piece) {
              var one = at[piece.term], k = find(one.entry.ranks, rank), start = one.positions.starts[k];
              return one.positions.positions.slice(start, start + one.positions.counts[k]);
            });
            var body = 0, flags = 0, titleEnd = docs.titleEnds[rank] || 0, subtitleEnd = docs.subtitleEnds[rank] || 0;
            lists[0].forEach(function (p) {
              for (var k = 1; k < lists.length; k++) if (find(lists[k], p + pieces[k].offset) < 0) return;
              if (p < titleEnd) flags |= 2; else if (p < subtitleEnd) flags |= 1; else body++;
            });
            if (body || flags) { found.ranks.push(rank); found.values.push(body * 4 + flags); }
          });
          return found;
        });
      });
    }

    // The ranks of a shard's articles of the chosen year: [from, to).
    function yearRange(shard, year) {
      if (!year) return [0, shard.count];
      var at = 0;
      for (var i = 0; i < shard.years.length; i++) {
        if (String(shard.years[i][0]) === year) return [at, at + shard.years[i][1]];
        at += shard.years[i][1];
      }
      return [0, 0];
    }

    // The matches in one shard: {hits: [{shard, rank, values (one a word)}] newest first, df (a word's
    // articles in the year's range), articles (in that range)}.
    function searchShard(shard, state) {
      var range = yearRange(shard, state.year);
      var words = state.words.length ? Promise.all(state.words.map(function (units) {
        return wordHits(shard, units, state.relevance);
      }))
        : Promise.resolve([]);
      var sections = state.section >= 0 ? sectionsOf(shard) : Promise.resolve(null);
      return Promise.all([words, sections]).then(function (both) {
        var perWord = both[0].map(function (found) {
          var ranks = [], values = [];
          found.ranks.forEach(function (rank, i) {
            if (rank >= range[0] && rank < range[1]) { ranks.push(rank); values.push(found.values[i]); }
          });
          return { ranks: ranks, values: values };
        });
        var ranks;
        if (perWord.length) {
          ranks = perWord.map(function (found) { return found.ranks; }).reduce(intersect);
        } else {
          ranks = [];
          for (var r = range[0]; r < range[1]; r++) ranks.push(r);
        }
        if (both[1] !== null) {
          var width = manifest.width || 1, codes = both[1];
          ranks = ranks.filter(function (rank) { return within(sectionCode(codes.substr(rank * width, width)), state.section); });
        }
        var hits = ranks.map(function (rank) {
          return { shard: shard, rank: rank, values: perWord.map(function (found) { return found.values[find(found.ranks, rank)]; }) };
        });
        return { hits: hits, df: perWord.map(function (found) { return found.ranks.length; }), articles: range[1] - range[0] };
      });
    }

    var CODES = (function () {
      var s = "";
      for (var c = 0x21; c < 0x7f; c++) if (c !== 0x22 && c !== 0x5c) s += String.fromCharCode(c);
      return s;
    })();

    function sectionCode(code) {  // -1 for none (a standalone page at the top of the site: spaces)
      var digits = code.split("").map(function (c) { return CODES.indexOf(c); });
      if (digits.indexOf(-1) >= 0) return -1;
      return digits.length === 1 ? digits[0] : digits[0] * CODES.length + digits[1];
    }

    function within(section, wanted) {  // a section matches itself and its subsections
      while (section >= 0) {
        if (section === wanted) return true;
        section = manifest.sections[section][1];
      }
      return false;
    }

    function fillFilters() {
      var years = {};
      manifest.shards.forEach(function (shard) {
        shard.years.forEach(function (entry) {  // year 0: standalone pages without a date, in no year
          if (entry[0]) years[entry[0]] = (years[entry[0]] || 0) + entry[1];
        });
      });
      // A section is chosen by its folder (two sections may share a title: 工作动态 under 代表工作 and under
      // 监督工作, then named with their parent's title); an address with its title (an older link) still works.
      var wanted = sectionSelect.getAttribute("data-wanted") || "", titled = {};
      manifest.sections.forEach(function (section) { titled[section[0]] = (titled[section[0]] || 0) + 1; });
      manifest.sections.forEach(function (section) {
        if (!section[2]) return;
        var option = document.createElement("option"), parent = manifest.sections[section[1]];
        option.value = section[3];
        option.textContent = (titled[section[0]] > 1 && parent ? parent[0] + " › " : "") + section[0] +
          "（" + section[2] + "）";
        sectionSelect.appendChild(option);
      });
      var byTitle = manifest.sections.filter(function (section) { return section[0] === wanted && section[2]; })[0];
      sectionSelect.value = byTitle && !manifest.sections.some(function (s) { return s[3] === wanted; })
        ? byTitle[3] : wanted;
      unknown = [];
      if (wanted && sectionSelect.value !== (byTitle ? byTitle[3] : wanted)) unknown.push("栏目“" + wanted + "”");
      if (sectionSelect.selectedIndex < 0) sectionSelect.value = "";
      wanted = yearSelect.getAttribute("data-wanted") || "";
      Object.keys(years).sort().reverse().forEach(function (year) {
        var option = document.createElement("option");
        option.value = year;
        option.textContent = year + "年（" + years[year] + "）";
        yearSelect.appendChild(option);
      });
      yearSelect.value = wanted;
      if (wanted && yearSelect.value !== wanted) unknown.push(wanted + "年的文章");
      if (yearSelect.selectedIndex < 0) yearSelect.value = "";
    }

    // ---------------------------------------------------------------- one search

    function start(state) {
      var shards = manifest.shards.filter(function (shard) { return yearRange(shard, state.year)[1] > 0; });
      state.perShard = shards.map(function () { return null; });
      return Promise.all(shards.map(function (shard, number) {
        return searchShard(shard, state).then(function (found) {
          state.perShard[number] = found;
          progress(state);
        });
      }));
    }

    // 按相关度: each hit's score (see K1, TITLE, SUBTITLE), idf from the articles searched.
    function byRelevance(state, hits) {
      var articles = 0, df = state.words.map(function () { return 0; });
      state.perShard.forEach(function (found) {
        articles += found.articles;
        found.df.forEach(function (n, w) { df[w] += n; });
      });
      var idf = df.map(function (n) { return Math.log(1 + (articles - n + 0.5) / (n + 0.5)); });
      hits.forEach(function (hit) {
        hit.score = 0;
        hit.values.forEach(function (value, w) {
          var body = value >> 2;
          hit.score += idf[w] * ((value & 2 ? TITLE : 0) + (value & 1 ? SUBTITLE : 0) + body * (K1 + 1) / (body + K1));
        });
      });
      return hits.sort(function (a, b) {
        return b.score - a.score || a.shard.number - b.shard.number || a.rank - b.rank;
      });
    }

    function progress(state) {
      if (state.token !== run) return;
      var found = [], complete = true, counted = 0;
      state.perShard.forEach(function (one) {
        if (!one) { complete = false; return; }
        counted += one.hits.length;
        if (complete) found = found.concat(one.hits);  // newest first: shards in order, while none is missing
      });
      state.complete = complete;
      state.hits = complete && state.relevance ? byRelevance(state, found) : found;
      if (complete && !counted) {
        list.innerHTML = "";
        more.hidden = true;
        setStatus("未找到与“" + (quoted(state.query) || "所选条件") + "”相关的文章。请换一个词，或减少筛选条件。");
        state.tag.then(function (tag) { if (state.token === run && tag) list.appendChild(tagItem(tag)); });
        return;
      }
      var keyword = state.query ? "（关键词：" + quoted(state.query) + "）" : "";
      if (complete) setStatus("找到 " + counted + " 篇相关文章" + keyword + "。");
      else if (!state.relevance || counted) setStatus("正在统计……已找到 " + counted + " 篇" + keyword);
      if (!state.relevance || complete) showUpTo(state, Math.max(state.wanted, PAGE));
    }

    // A query as the status line quotes it: a pasted paragraph is cut, so the line stays a line on a phone.
    function quoted(query) {
      var chars = Array.from(query || "");
      return chars.length > 30 ? chars.slice(0, 30).join("") + "……" : chars.join("");
    }

    function afterPaint() {
      return new Promise(function (resolve) {
        requestAnimationFrame(function () { setTimeout(resolve, 0); });
      });
    }

    function pageOf(hit) {
      return fetched(shardFile(hit.shard, "f/" + hit.rank + ".json"), function (response) { return response.json(); });
    }

    // A page of results is drawn at once, when all its articles have come (显示更多结果 adds ten, never fewer;
    // the count above it is shown as soon as it is known).
    function showUpTo(state, count) {
      state.wanted = count;
      var ready = state.hits.slice(state.shown, count);
      if (!ready.length) { more.hidden = state.shown >= state.hits.length && state.complete; return; }
      if (ready.length < count - state.shown && !state.complete) return;  // wait for a whole page
      var first = state.shown === 0;
      state.shown += ready.length;
      // Asked for once the count just written is on the screen: it is the page's largest paint on a phone
      // (the results begin below the fold), and it waits for nothing else.
      var pages = afterPaint().then(function () {
        return Promise.all([first ? state.tag : null].concat(ready.map(pageOf)));
      });
      state.drawn = state.drawn.then(function () { return pages; }).then(function (data) {
        if (state.token !== run) return;
        if (data[0]) list.appendChild(tagItem(data[0]));
        data.slice(1).forEach(function (one) { list.appendChild(render(one, state.words)); });
        more.hidden = state.shown >= state.hits.length && state.complete;
      });
      state.drawn.catch(failed);
    }

    function render(page, words) {
      var fields = T.fields(page);
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + page.u;
      link.className = "result-title";
      link.textContent = T.fieldText(fields[0]).trim() || base + page.u;
      var info = document.createElement("p");
      info.className = "result-meta";
      info.textContent = [page.d, page.s].filter(Boolean).join("　");
      var excerpt = document.createElement("p");
      excerpt.className = "result-excerpt";
      var shown = fields[4];
      if (words.length && !T.markWords(fields[4], words)) {
        for (var f = 1; f < 4; f++) if (T.markWords(fields[f], words)) { shown = fields[f]; break; }
      }
      T.excerpt(shown, 110).forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          excerpt.appendChild(mark);
        } else {
          excerpt.appendChild(document.createTextNode(piece[0]));
        }
      });
      li.appendChild(link);
      li.appendChild(info);
      li.appendChild(excerpt);
      return li;
    }

    // ---------------------------------------------------------------- the form

    function readUrl() {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      sectionSelect.setAttribute("data-wanted", params.get("section") || "");
      yearSelect.setAttribute("data-wanted", params.get("year") || "");
      sortSelect.value = params.get("sort") === "relevance" ? "relevance" : "";
      showOrder();
    }

    function showOrder() {
      var text = ORDER[sortSelect.value] || ORDER[""];
      if (orderLine && orderLine.textContent !== text) orderLine.textContent = text;
    }

    function writeUrl(newEntry) {
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("q", input.value.trim());
      if (sectionSelect.value) params.set("section", sectionSelect.value);
      if (yearSelect.value) params.set("year", yearSelect.value);
      if (sortSelect.value) params.set("sort", sortSelect.value);
      var query = params.toString();
      var address = location.pathname + (query ? "?" + query : "");
      // A new search is a step Back returns from (to the results before it); a changed filter or order is not.
      if (newEntry && address !== location.pathname + location.search) history.pushState(null, "", address);
      else history.replaceState(null, "", address);
    }

    function search() {
      var token = ++run;
      list.innerHTML = "";
      more.hidden = true;
      var query = input.value.trim();
      var words = T.queryWords(query);
      if (!words.length && (query || !sectionSelect.value && !yearSelect.value)) {
        setStatus(query ? "请输入文字或数字：标点和符号不参与查找。" : "请输入要查找的词。");
        return;
      }
      setStatus("正在搜索……");
      var sectionIndex = -1;
      manifest.sections.forEach(function (section, index) { if (section[3] === sectionSelect.value) sectionIndex = index; });
      var state = { token: token, query: query, words: words, section: sectionIndex, year: yearSelect.value,
                    relevance: sortSelect.value === "relevance", drawn: Promise.resolve(), shown: 0, wanted: PAGE,
                    hits: [], complete: false, tag: tagNamed(query) };
      current = state;
      start(state).catch(failed);
    }

    function failed(error) {
      setStatus("搜索暂时无法使用：未能载入搜索索引。" + (error && error.message ? "（" + error.message + "）" : ""));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      unknown = [];  // the reader has chosen now
      writeUrl(true);
      load().then(search).catch(failed);
    });
    [sectionSelect, yearSelect, sortSelect].forEach(function (select) {
      select.addEventListener("change", function () {
        unknown = [];
        showOrder(); writeUrl(); load().then(search).catch(failed);
      });
    });
    more.addEventListener("click", function () {
      if (current) showUpTo(current, current.shown + PAGE);
    });

    window.addEventListener("popstate", function () {  // Back or Forward between two searches of this page
      readUrl();
      [sectionSelect, yearSelect].forEach(function (select) { select.value = select.getAttribute("data-wanted"); });
      load().then(search).catch(failed);
    });
    readUrl();
    var arriving = input.value || sectionSelect.getAttribute("data-wanted") || yearSelect.getAttribute("data-wanted");
    if (arriving) tagNamed("");  // asked for beside the manifest: the first page waits for it
    load().then(function () { if (arriving) search(); }).catch(failed);
    input.focus();
  }
})();
