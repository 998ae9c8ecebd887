/* The search page: every article containing the words, newest first (or 按相关度), 10 at a time, with an
   exact count. The index is one Pagefind bundle whose "languages" are shards of days, newest first
   (sitegen/search.py); each shard is one Pagefind instance, searched in order so the first results need
   only the newest shards, while the rest are counted. Words are our bigram phrases (search-text.js); a
   one-unit word is looked up in the shard's unit table instead. */
(function () {
  var form = document.getElementById("search-form");
  if (!form) return;
  var T = window.SitegenSearchText;
  var input = document.getElementById("search-q");
  var sectionSelect = document.getElementById("search-section");
  var yearSelect = document.getElementById("search-year");
  var sortSelect = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var bundle = form.getAttribute("data-bundle");
  var base = form.getAttribute("data-base");
  var PAGE = 10, PARALLEL = 3;
  var pagefind = null, manifest = null, instances = {}, unitTables = {}, everyPage = {}, shardCodes = {}, run = 0;

  function setStatus(text) {
    // The preview re-indexes after each edit in the background; until it is done, the page says so.
    if (manifest && manifest.updating) text += "（搜索索引正在更新，刚修改的文章可能还查不到，稍后再搜索即可。）";
    if (status.textContent !== text) status.textContent = text;
  }

  function load() {
    if (manifest && manifest.updating) {  // the preview may have finished its index since: read it again
      var wanted = [sectionSelect.value, yearSelect.value];
      manifest = null;
      instances = {};
      unitTables = {};
      everyPage = {};
      shardCodes = {};
      [sectionSelect, yearSelect].forEach(function (select, i) {
        while (select.options.length > 1) select.remove(1);
        select.setAttribute("data-wanted", wanted[i]);
      });
    }
    if (manifest) return Promise.resolve();
    // Revalidated every time: a cached manifest would name shards a newer build has replaced.
    // Pagefind's code is asked for at once, beside the manifest: the first results wait for both.
    var code = pagefind ? Promise.resolve(pagefind) : import(bundle + "pagefind.js");
    return fetch(bundle + "sitegen-shards.json", { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      manifest = data;
      if (manifest.updating) setStatus("");
      fillFilters();
      return code;
    }).then(function (module) { pagefind = module; });
  }

  // Section of each article, by shard and rank; a section matches itself and its subsections.
  function sectionOf(shard, rank) {
    var w = manifest.width || 1, codes = shard.sections;
    var code = codes.substr(rank * w, w);
    return w === 1 ? CODES.indexOf(code) : CODES.indexOf(code[0]) * CODES.length + CODES.indexOf(code[1]);
  }
  var CODES = (function () {
    var s = "";
    for (var c = 0x21; c < 0x7f; c++) if (c !== 0x22 && c !== 0x5c) s += String.fromCharCode(c);
    return s;
  })();

  function within(section, wanted) {
    while (section >= 0) {
      if (section === wanted) return true;
      section = manifest.sections[section][1];
    }
    return false;
  }

  function fillFilters() {
    var years = {};
    manifest.shards.forEach(function (shard) { years[shard.year] = (years[shard.year] || 0) + shard.count; });
    var wanted = sectionSelect.getAttribute("data-wanted") || "";
    manifest.sections.forEach(function (section) {
      if (!section[2]) return;
      var option = document.createElement("option");
      option.value = section[0];
      option.textContent = section[0] + "（" + section[2] + "）";
      sectionSelect.appendChild(option);
    });
    sectionSelect.value = wanted;
    wanted = yearSelect.getAttribute("data-wanted") || "";
    Object.keys(years).sort().reverse().forEach(function (year) {
      var option = document.createElement("option");
      option.value = year;
      option.textContent = year + "年（" + years[year] + "）";
      yearSelect.appendChild(option);
    });
    yearSelect.value = wanted;
  }

  // One Pagefind instance per shard. Pagefind picks the "language" of an instance from <html lang>, so it
  // is set to the shard's code for the moment the instance is made (synchronously: nothing is drawn).
  function instance(code) {
    if (instances[code]) return instances[code];
    var html = document.documentElement, lang = html.getAttribute("lang");
    html.setAttribute("lang", code);
    try {
      instances[code] = pagefind.createInstance({
        baseUrl: base, metaCacheTag: manifest.tag, exactDiacritics: true,
        noWorker: true,  // searches of a few hundred pages are quick; the worker would cost a second copy of Pagefind's code
      });
    } finally {
      html.setAttribute("lang", lang);
    }
    return instances[code];
  }

  // Each page's section code and title length, by rank (shards/<code>.json), read with the shard's index.
  function loadCodes(shard) {
    if (!shardCodes[shard.code]) {
      shardCodes[shard.code] = fetch(bundle + "shards/" + shard.code + ".json").then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (codes) {
        shard.sections = codes.sections;
        shard.titles = codes.titles;
      });
    }
    return shardCodes[shard.code];
  }

  // A shard's unit table file for one unit (a one-unit word is looked up there, not in Pagefind).
  function unitTable(shard, unit) {
    var url = bundle + "units/" + shard.code + "_" + (unit.codePointAt(0) % manifest.buckets) + ".json";
    if (!unitTables[url]) {
      unitTables[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    return unitTables[url];
  }

  // Every page of a shard by rank (what a one-unit word's ranks become results with), through the word every
  // article has: one index chunk, where search(null) would load them all.
  function allPages(shard) {
    if (!everyPage[shard.code]) {
      everyPage[shard.code] = instance(shard.code).search('"' + T.everyPage + '"', { sort: { r: "asc" } }).then(function (search) {
        var byRank = [];
        search.results.forEach(function (result) { byRank[-result.score || 0] = result; });
        return byRank;
      });
    }
    return everyPage[shard.code];
  }

  // One word's matches in a shard as [{rank, data, inTitle}], in any order.
  function wordHits(shard, word) {
    if (word.length === 1) {
      return Promise.all([unitTable(shard, word[0]), allPages(shard)]).then(function (both) {
        var entry = (both[0][word[0]] || ",").split(","), pages = both[1];
        var inTitle = {};
        T.decodeRanks(entry[1]).forEach(function (rank) { inTitle[rank] = true; });
        return T.decodeRanks(entry[0]).map(function (rank) {
          return { rank: rank, data: pages[rank].data, inTitle: !!inTitle[rank] };
        });
      });
    }
    var search = instance(shard.code).search(T.pagefindQuery(word), { sort: { r: "asc" } });
    return Promise.all([search, loadCodes(shard)]).then(function (both) {
      return both[0].results.map(function (result) {
        var rank = -result.score || 0;
        var titleWords = CODES.indexOf(shard.titles[rank]);
        return { rank: rank, data: result.data, inTitle: result.words.length > 0 && Math.min.apply(null, result.words) < titleWords };
      });
    });
  }

  // The matches in one shard: [{rank, inTitle (query words in the title), data}], newest first.
  function searchShard(shard, words, sectionIndex) {
    var searches = words.length ? words.map(function (word) { return wordHits(shard, word); })
      : [allPages(shard).then(function (all) {
        return all.map(function (result, rank) { return { rank: rank, data: result.data, inTitle: false }; });
      })];
    return Promise.all([Promise.all(searches), loadCodes(shard)]).then(function (both) {
      var perWord = both[0];
      var hits = {};
      perWord.forEach(function (found) {
        found.forEach(function (one) {
          var hit = hits[one.rank] || (hits[one.rank] = { rank: one.rank, words: 0, data: one.data, inTitle: 0 });
          hit.words++;
          if (one.inTitle) hit.inTitle++;
        });
      });
      return Object.keys(hits).map(function (rank) { return hits[rank]; }).filter(function (hit) {
        return hit.words === perWord.length && (sectionIndex < 0 || within(sectionOf(shard, hit.rank), sectionIndex));
      }).sort(function (a, b) { return a.rank - b.rank; }).map(function (hit) {
        hit.shard = shard;
        return hit;
      });
    });
  }

  function run_(state) {
    var shards = manifest.shards.filter(function (shard) { return !state.year || shard.year === state.year; });
    state.perShard = shards.map(function () { return null; });
    var next = 0;
    function one() {
      if (next >= shards.length || state.token !== run) return Promise.resolve(false);
      var number = next++;
      return searchShard(shards[number], state.words, state.section).then(function (hits) {
        state.perShard[number] = hits;
        progress(state);
        return true;
      });
    }
    function loop() { return one().then(function (more) { return more ? loop() : null; }); }
    function firstPage() {  // newest shards one by one until the first page is drawn, so it waits for nothing else
      if (state.relevance || state.hits.length >= PAGE || next >= shards.length) return state.drawn;
      return one().then(firstPage);
    }
    return one().then(firstPage).then(function () {
      var workers = [];
      for (var i = 0; i < PARALLEL; i++) workers.push(loop());
      return Promise.all(workers);
    }).then(function () { progress(state); });
  }

  // Results known so far in reading order (newest first: the shards in order, while none is missing).
  function ordered(state) {
    var found = [];
    for (var i = 0; i < state.perShard.length; i++) {
      if (!state.perShard[i]) return { hits: found, complete: false };
      found = found.concat(state.perShard[i]);
    }
    if (state.relevance) {
      found.sort(function (a, b) { return b.inTitle - a.inTitle || 0; });
    }
    return { hits: found, complete: true };
  }

  function progress(state) {
    if (state.token !== run) return;
    var now = ordered(state);
    state.hits = now.hits;
    state.complete = now.complete;
    var counted = state.perShard.reduce(function (n, hits) { return n + (hits ? hits.length : 0); }, 0);
    if (now.complete) {
      if (!counted) {
        list.innerHTML = "";
        more.hidden = true;
        setStatus("未找到与“" + (state.query || "所选条件") + "”相关的文章。请换一个词，或减少筛选条件。");
        return;
      }
      setStatus("找到 " + counted + " 篇相关文章" + (state.query ? "（关键词：" + state.query + "）" : "") + "。");
    } else if (!state.relevance || counted) {
      setStatus("正在统计……已找到 " + counted + " 篇" + (state.query ? "（关键词：" + state.query + "）" : ""));
    }
    if (!state.relevance || now.complete) showUpTo(state, Math.max(state.wanted, PAGE));
  }

  function showUpTo(state, count) {
    state.wanted = count;
    var ready = state.hits.slice(state.shown, count);
    if (!ready.length) { more.hidden = state.shown >= state.hits.length && state.complete; return; }
    if (ready.length < count - state.shown && !state.complete) return;  // wait for a whole page
    state.shown += ready.length;
    var items = Promise.all(ready.map(function (hit) { return hit.data(); }));
    state.drawn = state.drawn.then(function () { return items; }).then(function (items) {
      if (state.token !== run) return;
      items.forEach(function (item, i) { list.appendChild(render(item, ready[i], state.words)); });
      more.hidden = state.shown >= state.hits.length && state.complete;
    });
  }

  function render(item, hit, words) {
    var fields = T.decode(item.content, item.meta && item.meta.x);
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = item.url;
    link.className = "result-title";
    link.textContent = T.fieldText(fields[0]).trim() || item.url;
    var info = document.createElement("p");
    info.className = "result-meta";
    var section = manifest.sections[sectionOf(hit.shard, hit.rank)];
    info.textContent = [T.decodeDate(item.meta && item.meta.d), section ? section[0] : ""].filter(Boolean).join("　");
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

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    sectionSelect.setAttribute("data-wanted", params.get("section") || "");
    yearSelect.setAttribute("data-wanted", params.get("year") || "");
    sortSelect.value = params.get("sort") === "relevance" ? "relevance" : "";
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (sectionSelect.value) params.set("section", sectionSelect.value);
    if (yearSelect.value) params.set("year", yearSelect.value);
    if (sortSelect.value) params.set("sort", sortSelect.value);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function search() {
    var token = ++run;
    list.innerHTML = "";
    more.hidden = true;
    var query = input.value.trim();
    var words = T.queryWords(query);
    if (!words.length && !sectionSelect.value && !yearSelect.value) {
      setStatus(query ? "请输入文字或数字：标点和符号不参与查找。" : "请输入要查找的词。");
      return;
    }
    setStatus("正在搜索……");
    var sectionIndex = -1;
    manifest.sections.forEach(function (section, index) { if (section[0] === sectionSelect.value) sectionIndex = index; });
    var state = { token: token, query: query, words: words, section: sectionIndex, year: yearSelect.value,
                  relevance: sortSelect.value === "relevance", drawn: Promise.resolve(), shown: 0, wanted: PAGE, hits: [], complete: false };
    current = state;
    run_(state).catch(failed);
  }
  var current = null;

  function failed(error) {
    setStatus("搜索暂时无法使用：未能载入搜索索引。" + (error && error.message ? "（" + error.message + "）" : ""));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    writeUrl();
    load().then(search).catch(failed);
  });
  [sectionSelect, yearSelect, sortSelect].forEach(function (select) {
    select.addEventListener("change", function () { writeUrl(); load().then(search).catch(failed); });
  });
  more.addEventListener("click", function () {
    if (current) showUpTo(current, current.shown + PAGE);
  });

  readUrl();
  var arriving = input.value || sectionSelect.getAttribute("data-wanted") || yearSelect.getAttribute("data-wanted");
  load().then(function () { if (arriving) search(); }).catch(failed);
  input.focus();
})();
