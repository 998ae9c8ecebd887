/* The editor's desk: starts Decap CMS with the configuration made from the site (/admin/config.yml), shows the
   site's own page as the preview, tells the build's problems after each save, and offers 发布.
   Words come from /admin/words.json, in the language serve was started in (Chinese by default). */
(function () {
  "use strict";
  var words = {};

  function api(action, params) {
    return fetch("/api/v1", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: action, params: params || {} })
    }).catch(function () {  // the server is gone (stopped, or the computer slept): said in her words
      throw new Error(words.offline);
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.error || String(response.status)); }
        return body;
      });
    });
  }

  // ---------------------------------------------------------------- the bar: 发布 and messages

  var bar = document.createElement("div");
  bar.id = "desk-bar";
  var publish = document.createElement("button");
  publish.id = "desk-publish";
  publish.type = "button";
  var messages = document.createElement("div");
  messages.id = "desk-messages";
  messages.setAttribute("role", "status");
  messages.setAttribute("aria-live", "polite");
  // 移到其他栏目: an open article goes to another section, its old address sent on to the new one (deskMove).
  var move = document.createElement("button");
  move.id = "desk-move";
  move.type = "button";
  move.hidden = true;
  var moveTo = document.createElement("select");
  moveTo.id = "desk-move-to";
  moveTo.hidden = true;
  bar.appendChild(move);
  bar.appendChild(moveTo);
  bar.appendChild(publish);
  bar.appendChild(messages);
  var sections = [];  // {name, label, folder} of each collection, from the configuration
  var unsavedWords = "";  // what the CMS shows while the open article has changes not saved

  function openEntry() {  // the article the editor shows, if it is a saved one
    var found = /^#\/collections\/([^/]+)\/entries\/([^/?]+)$/.exec(location.hash);
    var section = found && sections.filter(function (s) { return s.name === decodeURIComponent(found[1]); })[0];
    return section ? { section: section, path: section.folder + "/" + decodeURIComponent(found[2]) + ".md" } : null;
  }

  function showMove() {
    move.hidden = !openEntry();
    moveTo.hidden = true;
  }
  window.addEventListener("hashchange", showMove);

  move.onclick = function () {
    var entry = openEntry();
    if (!entry) { return; }
    moveTo.textContent = "";
    [{ name: "", label: words.move_choose }].concat(sections.filter(function (s) { return s !== entry.section; }))
      .forEach(function (section) {
        var option = document.createElement("option");
        option.value = section.name;
        option.textContent = section.label;
        moveTo.appendChild(option);
      });
    moveTo.hidden = false;
    moveTo.focus();
  };

  function unsaved() {  // the CMS's own mark beside its 保存 button
    return !!unsavedWords && document.body.innerText.indexOf(unsavedWords) >= 0;
  }

  moveTo.onchange = function () {
    var entry = openEntry();
    var target = sections.filter(function (s) { return s.name === moveTo.value; })[0];
    moveTo.hidden = true;
    if (target && unsaved()) { say("problem", words.move_save_first); return; }
    if (!entry || !target || !window.confirm(words.confirm_move.replace("{section}", target.label))) { return; }
    api("deskMove", { path: entry.path, section: target.folder.replace(/^content\//, "") }).then(function (answer) {
      delete versions[entry.path];  // a new article of that name there is new
      location.hash = "#/collections/" + encodeURIComponent(answer.collection) + "/entries/" +
        encodeURIComponent(answer.slug);
      checkSaved(answer.path);
    }).catch(function (error) { say("problem", error.message); });
  };

  function say(kind, heading, lines) {
    messages.textContent = "";
    var box = document.createElement("div");
    box.className = "desk-message" + (kind === "problem" ? " desk-problem" : "");
    box.setAttribute("data-kind", kind);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.title = words.close || "";
    close.onclick = function () { messages.textContent = ""; };
    box.appendChild(close);
    box.appendChild(document.createTextNode(heading));
    if (lines && lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    messages.appendChild(box);
  }

  publish.onclick = function () {
    if (!window.confirm(words.confirm_publish)) { return; }
    publish.disabled = true;
    say("progress", words.publishing);
    api("deskPublish").then(function (answer) {
      say(answer.ok ? "done" : "problem", answer.message);
    }).catch(function (error) {
      say("problem", error.message);
    }).then(function () { publish.disabled = false; });
  };

  function checkSaved(path, deleted) {  // no path: the file saved last (a new article's event may not name it)
    say("progress", words.checking);
    api("deskProblems", deleted ? { deleted: true } : path ? { path: path } : {}).then(function (answer) {
      var others = answer.others ? [words.others.replace("{count}", answer.others)] : [];
      say(answer.problems.length || answer.others ? "problem" : "done", answer.heading,
          answer.problems.concat(others, answer.notes || []));
    }).catch(function (error) { say("problem", error.message); });
  }

  // The desk watches the CMS's calls to its backend, for what the CMS itself does not do:
  // - a deletion has no event of its own: once it is done the site is checked (an article or picture others use
  //   leaves them with a broken link, which she must hear of now);
  // - a save carries the version of each file as this page opened it, so a save from a page opened before another
  //   save (another tab) is refused instead of undoing that one.
  // Decap asks in English before an upload that has the name of one already chosen: asked in her words.
  var ask = window.confirm;
  window.confirm = function (question) {
    var same = /^(.+) already exists\. Do you want to replace it\?$/.exec(String(question));
    return ask.call(window, same ? words.replace_upload.replace("{name}", same[1]) : question);
  };

  var send = window.fetch;
  var versions = {};  // file -> its version as this page last read or wrote it

  function remember(answer) {
    (Array.isArray(answer) ? answer : [answer]).forEach(function (item) {
      if (item && item.file && item.file.path && item.file.id) { versions[item.file.path] = item.file.id; }
    });
    if (answer && answer.versions) { Object.assign(versions, answer.versions); }
  }

  window.fetch = function (url, init) {
    var call = null;
    if (url === "/api/v1" && init && typeof init.body === "string") {
      try { call = JSON.parse(init.body); } catch (error) { call = null; }
    }
    if (call && call.action === "persistEntry" && call.params) {
      call.params.versions = versions;
      init = Object.assign({}, init, { body: JSON.stringify(call) });
    }
    var sent = send.call(this, url, init);
    if (call) {
      sent.then(function (response) {
        if (!response.ok) { return; }
        if (/^deleteFiles?$/.test(call.action)) {
          var gone = call.params && (call.params.paths || [call.params.path]);
          (gone || []).forEach(function (path) { delete versions[path]; });  // a new article there is new
          checkSaved("", true);
        }
        if (/^(getEntry|entriesByFolder|entriesByFiles|persistEntry)$/.test(call.action)) {
          response.clone().json().then(remember, function () {});
        }
      });
    }
    return sent;
  };

  // ---------------------------------------------------------------- pasting from Word or a web page

  // What the editor cannot keep is said, never dropped in silence: a picture (Word puts it on the clipboard as a
  // file on her computer, which the editor drops) and a table (the rich editor runs its cells together). In
  // Markdown mode a table is pasted as a Markdown table.
  var BLOCKS = /^(P|DIV|H[1-6]|LI|UL|OL|BLOCKQUOTE|SECTION|ARTICLE|CENTER|TR|TD|TH|PRE|DL|DT|DD|FIGURE|FIGCAPTION)$/;

  function plain(text) { return text.replace(/[\s\u00a0]+/g, " ").trim(); }

  function cellText(cell) {  // one line: the cell's paragraphs apart by a space, its pipes escaped
    var parts = [];
    (function walk(node) {
      if (node.nodeType === 3) { parts.push(node.data); return; }
      if (node.nodeType !== 1) { return; }
      var block = BLOCKS.test(node.tagName) || node.tagName === "BR";
      if (block) { parts.push(" "); }
      Array.prototype.forEach.call(node.childNodes, walk);
      if (block) { parts.push(" "); }
    })(cell);
    return plain(parts.join("")).replace(/\|/g, "\\|");
  }

  function markdownTable(table) {  // cells merged across or down fill their grid places, the first with the text
    var grid = [];
    Array.prototype.forEach.call(table.rows, function (row, r) {
      grid[r] = grid[r] || [];
      var c = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (grid[r][c] !== undefined) { c++; }
        var text = cellText(cell), across = cell.colSpan || 1, down = cell.rowSpan || 1;
        for (var dr = 0; dr < down; dr++) {
          grid[r + dr] = grid[r + dr] || [];
          for (var dc = 0; dc < across; dc++) { grid[r + dr][c + dc] = dr || dc ? "" : text; }
        }
        c += across;
      });
    });
    grid = grid.filter(function (cells) { return cells.length; });
    if (!grid.length) { return ""; }
    var width = Math.max.apply(null, grid.map(function (cells) { return cells.length; }));
    var lines = grid.map(function (cells) {
      var filled = [];
      for (var c = 0; c < width; c++) { filled.push(cells[c] || ""); }
      return "| " + filled.join(" | ") + " |";
    });
    lines.splice(1, 0, "|" + new Array(width + 1).join(" --- |"));
    return lines.join("\n");
  }

  // Everything pasted, in order, as Markdown: tables as tables, list items as items, other blocks as paragraphs.
  function pastedAsMarkdown(body) {
    var parts = [], line = [];
    function flush() {
      var text = plain(line.join(""));
      if (text) { parts.push(text); }
      line = [];
    }
    (function walk(node) {
      if (node.nodeType === 3) { line.push(node.data); return; }
      if (node.nodeType !== 1 || /^(SCRIPT|STYLE|IMG)$/.test(node.tagName)) { return; }
      if (node.tagName === "TABLE") { flush(); parts.push(markdownTable(node)); return; }
      if (node.tagName === "BR") { flush(); return; }
      var block = BLOCKS.test(node.tagName);
      if (block) { flush(); }
      if (node.tagName === "LI") {
        line.push(node.parentNode && node.parentNode.tagName === "OL" ?
          (Array.prototype.indexOf.call(node.parentNode.children, node) + 1) + ". " : "- ");
      }
      Array.prototype.forEach.call(node.childNodes, walk);
      if (block) { flush(); }
    })(body);
    flush();
    return parts.join("\n\n");
  }

  document.addEventListener("paste", function (event) {
    var data = event.clipboardData, html = data && data.getData("text/html");
    var body = event.target.closest && event.target.closest(".cms-editor-raw, .cms-editor-visual");
    if (!body || !data) { return; }  // the body only: a title takes the text alone
    if (!html) {  // a screenshot or a copied picture file: nothing the editor takes
      var files = Array.prototype.filter.call(data.items || [], function (item) {
        return item.kind === "file" && /^image\//.test(item.type);
      }).length;
      if (files) { say("problem", words.pasted_heading, [words.pasted_pictures.replace("{count}", files)]); }
      return;
    }
    var raw = body.classList.contains("cms-editor-raw");
    var pasted = new DOMParser().parseFromString(html, "text/html").body;
    var pictures = pasted.querySelectorAll("img").length;
    // a table of rows and columns; a page laid out in a table of one row or one column is pasted as its text
    var tables = Array.prototype.filter.call(pasted.querySelectorAll("table"), function (table) {
      return table.rows.length > 1 && Array.prototype.some.call(table.rows, function (row) { return row.cells.length > 1; });
    }).length;
    var lines = [];
    if (tables) {
      event.preventDefault();
      event.stopPropagation();
      if (raw) {  // pasted again, as the text alone, which the editor inserts as it is
        var text = new DataTransfer();
        text.setData("text/plain", pastedAsMarkdown(pasted));
        event.target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: text, bubbles: true, cancelable: true }));
      }
      else { lines.push(words.pasted_tables); }
    }
    if (pictures && (raw || !tables)) { lines.push(words.pasted_pictures.replace("{count}", pictures)); }
    if (lines.length) { say("problem", tables && !raw ? words.pasted_nothing : words.pasted_heading, lines); }
  }, true);

  // ---------------------------------------------------------------- the preview: the site's own page

  function previewTemplate() {
    return window.createClass({
      render: function () {
        var entry = this.props.entry;
        var path = entry.get("path");
        if (!path || entry.get("newRecord")) {
          return window.h("p", { className: "desk-preview-note" }, words.preview_after_save);
        }
        return window.h("iframe", {
          src: location.origin + "/admin/page?path=" + encodeURIComponent(path),
          title: words.preview_title,
          style: { width: "100%", height: "100vh", border: "0", display: "block" }
        });
      }
    });
  }

  // The CMS's own picture component, with its labels in the editor's words (it names them Image, Alt Text, Title).
  function pictureComponent() {
    return {
      id: "image",
      label: words.picture,
      pattern: /^!\[([^\]]*)\]\((.*?)(\s"([^"]*)")?\)/,
      fromBlock: function (match) { return match && { image: match[2], alt: match[1], title: match[4] }; },
      toBlock: function (data) {
        var title = data.title ? " \"" + data.title.replace(/"/g, "\\\"") + "\"" : "";
        return "![" + (data.alt || "") + "](" + (data.image || "") + title + ")";
      },
      toPreview: function (data, getAsset, fields) {
        var field = fields && fields.find(function (f) { return f.get("widget") === "image"; });
        return window.h("img", { src: getAsset(data.image, field) || "", alt: data.alt || "", title: data.title || "" });
      },
      fields: [
        { label: words.picture_file, name: "image", widget: "image", media_library: { allow_multiple: false } },
        { label: words.picture_alt, name: "alt" },
        { label: words.picture_caption, name: "title" }
      ]
    };
  }

  // A document (Word, Excel, PDF) attached to the article: a paragraph that is a link to it, named as she wants.
  function attachmentComponent() {
    return {
      id: "attachment",
      label: words.attachment,
      pattern: /^\[([^\]\n]*)\]\((\S+\.(?:pdf|docx?|xlsx?))\)$/i,
      fromBlock: function (match) { return match && { file: match[2], name: match[1] }; },
      toBlock: function (data) {
        var file = data.file || "";
        var name = (data.name || decodeURIComponent(file.split("/").pop() || "")).replace(/[\[\]]/g, "");
        return "[" + name + "](" + file + ")";
      },
      toPreview: function (data) { return window.h("a", { href: data.file || "" }, data.name || data.file || ""); },
      fields: [
        { label: words.attachment_file, name: "file", widget: "file", media_library: { allow_multiple: false } },
        { label: words.attachment_name, name: "name", required: false }
      ]
    };
  }

  // Decap puts its own words around a refusal ("API_ERROR: …", and for a picture "Failed to persist media: …", in
  // English whatever the locale): the message keeps only the desk's own sentence, which says what was not saved
  // and why; a server that cannot be reached is said in the editor's words.
  var NOTICES = "[class*=toast], [class*=Toast], [role=alert]";  // Decap's notifications, nothing the editor holds

  function plainMessages(node) {
    var notices = node.matches(NOTICES) ? [node] : Array.prototype.slice.call(node.querySelectorAll(NOTICES));
    notices.forEach(function (notice) {
      if (notice.closest("[data-slate-editor]")) { return; }
      var walker = document.createTreeWalker(notice, NodeFilter.SHOW_TEXT);
      for (var text = walker.nextNode(); text; text = walker.nextNode()) {
        var plain = text.data.replace(/^(?:Failed to persist media: )?API_ERROR: /, "");
        if (/^(?:TypeError: )?(?:Failed to fetch|NetworkError|Load failed)/.test(plain)) { plain = words.offline; }
        if (plain !== text.data) { text.data = plain; }
      }
    });
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      Array.prototype.forEach.call(change.addedNodes, function (node) {
        if (node.nodeType === 1 && !bar.contains(node)) { plainMessages(node.closest(NOTICES) || node); }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // ---------------------------------------------------------------- start

  Promise.all([
    fetch("/admin/words.json", { cache: "no-store" }).then(function (r) { return r.json(); }),
    fetch("/admin/config.yml", { cache: "no-store" }).then(function (r) {  // refused: site.yaml's problem, in words
      return r.ok ? r.json() : r.text().then(function (text) { throw new Error(text); });
    })
  ]).then(function (loaded) {
    words = loaded[0];
    var config = loaded[1];
    document.title = words.title;
    document.documentElement.lang = words.lang;
    publish.textContent = words.publish;
    move.textContent = words.move;
    moveTo.setAttribute("aria-label", words.move_choose);
    sections = config.collections.map(function (c) { return { name: c.name, label: c.label, folder: c.folder }; });
    showMove();
    document.body.appendChild(bar);
    var CMS = window.CMS;
    var phrases = CMS.getLocale && CMS.getLocale(config.locale);
    unsavedWords = phrases && phrases.editor && phrases.editor.editorToolbar &&
      phrases.editor.editorToolbar.unsavedChanges || "";
    if (phrases) {
      Object.keys(words.cms).forEach(function (name) {  // 'editor.editorToolbar.publish': the phrase at that place
        var keys = name.split("."), last = keys.pop(), place = phrases;
        keys.forEach(function (key) { place = place && place[key]; });
        if (place && typeof place[last] === "string") { place[last] = words.cms[name]; }
      });
      CMS.registerLocale(config.locale, phrases);
    }
    CMS.registerEditorComponent(pictureComponent());
    CMS.registerEditorComponent(attachmentComponent());
    var template = previewTemplate();
    config.collections.forEach(function (collection) { CMS.registerPreviewTemplate(collection.name, template); });
    CMS.registerEventListener({
      name: "postSave",
      handler: function (event) {
        checkSaved(event && event.entry && event.entry.get("path"));
      }
    });
    // The desk has no login: only this computer reaches it. The proxy backend's user, stored, skips the CMS's
    // 登录 page.
    window.localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy" }));
    config.load_config_file = false;
    CMS.init({ config: config });
  }).catch(function (error) {
    document.body.textContent = error.message;
  });
})();
