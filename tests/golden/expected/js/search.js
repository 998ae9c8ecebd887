/* The search page: Pagefind's JS API with Chinese labels, filters by 栏目 and 年份, newest-first sort. */
(function () {
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var sectionSelect = document.getElementById("search-section");
  var yearSelect = document.getElementById("search-year");
  var sortSelect = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 10;
  var pagefind = null;
  var current = { results: [], shown: 0, token: 0 };

  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    return import(form.getAttribute("data-bundle") + "pagefind.js").then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: form.getAttribute("data-base"), excerptLength: 40 }).then(function () {
        pagefind.init();
        return fillFilters().then(function () { return pagefind; });
      });
    });
  }

  function fillFilters() {
    return pagefind.filters().then(function (filters) {
      fill(sectionSelect, filters["栏目"] || {}, function (a, b) { return a < b ? -1 : 1; });
      fill(yearSelect, filters["年份"] || {}, function (a, b) { return a < b ? 1 : -1; });
    });
  }

  function fill(select, counts, order) {
    var wanted = select.getAttribute("data-wanted") || "";
    Object.keys(counts).sort(order).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name + "（" + counts[name] + "）";
      select.appendChild(option);
    });
    select.value = wanted;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    sectionSelect.setAttribute("data-wanted", params.get("section") || "");
    yearSelect.setAttribute("data-wanted", params.get("year") || "");
    sortSelect.value = params.get("sort") === "date" ? "date" : "";
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

  function run() {
    var query = input.value.trim();
    var filters = {};
    if (sectionSelect.value) filters["栏目"] = sectionSelect.value;
    if (yearSelect.value) filters["年份"] = yearSelect.value;
    if (!query && !Object.keys(filters).length) {
      status.textContent = "请输入要查找的词。";
      list.innerHTML = "";
      more.hidden = true;
      return;
    }
    var token = ++current.token;
    status.textContent = "正在搜索……";
    var options = { filters: filters };
    if (sortSelect.value === "date") options.sort = { date: "desc" };
    load().then(function () {
      return pagefind.search(query || null, options);
    }).then(function (search) {
      if (token !== current.token || !search) return;
      current.results = search.results;
      current.shown = 0;
      list.innerHTML = "";
      if (!search.results.length) {
        status.textContent = "未找到与“" + (query || "所选条件") + "”相关的文章。请换一个词，或减少筛选条件。";
        more.hidden = true;
        return;
      }
      status.textContent = "找到 " + search.results.length + " 篇相关文章" + (query ? "（关键词：" + query + "）" : "") + "。";
      showMore();
    }).catch(function (error) {
      status.textContent = "搜索暂时无法使用：" + error.message;
    });
  }

  function showMore() {
    var token = current.token;
    var slice = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += slice.length;
    more.hidden = current.shown >= current.results.length;
    Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (token !== current.token) return;
      items.forEach(function (item) { list.appendChild(render(item)); });
    });
  }

  function render(item) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = item.url;
    link.className = "result-title";
    link.textContent = item.meta.title || item.url;
    var info = document.createElement("p");
    info.className = "result-meta";
    info.textContent = [item.meta.date, item.meta.section].filter(Boolean).join("　");
    var excerpt = document.createElement("p");
    excerpt.className = "result-excerpt";
    excerpt.innerHTML = item.excerpt; // Pagefind escapes the text and adds only <mark> around matches
    li.appendChild(link);
    li.appendChild(info);
    li.appendChild(excerpt);
    return li;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    writeUrl();
    run();
  });
  [sectionSelect, yearSelect, sortSelect].forEach(function (select) {
    select.addEventListener("change", function () { writeUrl(); run(); });
  });
  more.addEventListener("click", showMore);

  readUrl();
  if (input.value || sectionSelect.getAttribute("data-wanted") || yearSelect.getAttribute("data-wanted")) {
    load().then(run);
  } else {
    load();
  }
  input.focus();
})();
