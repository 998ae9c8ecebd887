/* The search tokenizer of sitegen/searchtext.py, in the browser: a query to Pagefind phrases, and the
   indexed content of an article back to its text (tests/unit/search_text_cases.json runs through both). */
(function (root) {
  var UNIT = /^[\p{L}\p{N}]$/u;
  var QUERY_SPACES = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var WS_MARK = "\ue000", FIELD_MARK = "\ue001";
  var EVERY_PAGE = "sitegenpage";  // the word every article ends with (searchtext.EVERY_PAGE)
  var META_DIGITS = "!$%&'()+-/<=>?@^";

  function isUnit(c) { return UNIT.test(c); }

  // One character as search compares it: NFKC, then lower case character by character.
  function fold(c) {
    return Array.from(c.normalize("NFKC")).map(function (d) { return d.toLowerCase(); }).join("");
  }

  // The query's words as arrays of units, duplicates dropped: '《监督法》 ＩＣＰ' -> [['监','督','法'], ['i','c','p']].
  function queryWords(query) {
    var words = [], seen = {};
    String(query || "").normalize("NFKC").split(QUERY_SPACES).forEach(function (part) {
      var units = Array.from(Array.from(part).map(fold).join("")).filter(isUnit);
      var key = units.join("");
      if (units.length && !seen[key]) { seen[key] = true; words.push(units); }
    });
    return words;
  }

  // The index words a query word is looked up as: its bigrams, or the unit itself.
  function wordTokens(units) {
    if (units.length === 1) return [units[0]];
    var tokens = [];
    for (var i = 0; i + 1 < units.length; i++) tokens.push(units[i] + units[i + 1]);
    return tokens;
  }

  function pagefindQuery(units) { return '"' + wordTokens(units).join(" ") + '"'; }

  var RANK_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var BITSET_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  // Ranks of a unit table entry (searchtext.encode_ranks): two base-36 digits each, or '*' and a bitset.
  function decodeRanks(text) {
    var ranks = [], i, bit;
    if (text.charAt(0) === "*") {
      for (i = 1; i < text.length; i++) {
        var bits = BITSET_DIGITS.indexOf(text.charAt(i));
        for (bit = 0; bit < 6; bit++) if (bits >> bit & 1) ranks.push(6 * (i - 1) + bit);
      }
      return ranks;
    }
    for (i = 0; i + 1 < text.length; i += 2)
      ranks.push(RANK_DIGITS.indexOf(text.charAt(i)) * 36 + RANK_DIGITS.indexOf(text.charAt(i + 1)));
    return ranks;
  }

  function decodeNumber(text) {
    var value = 0;
    for (var i = 0; i < text.length; i++) value = value * 16 + META_DIGITS.indexOf(text[i]);
    return value;
  }

  // '2019-11-08 11:25' (or a day alone) from the digits written with META_DIGITS.
  function decodeDate(text) {
    var d = Array.from(text || "").map(function (c) { return String(META_DIGITS.indexOf(c)); }).join("");
    var day = d.slice(0, 4) + "-" + d.slice(4, 6) + "-" + d.slice(6, 8);
    return d.length >= 12 ? day + " " + d.slice(8, 10) + ":" + d.slice(10, 12) : day;
  }

  function decodeExceptions(text) {
    if (!text) return [];
    return text.split(";").map(function (entry) {
      var parts = entry.split(":");
      return {
        unit: decodeNumber(parts[0]), count: decodeNumber(parts[1]),
        original: parts[2].split(".").map(function (h) { return String.fromCodePoint(decodeNumber(h)); }).join(""),
        lead: parts[3] ? decodeNumber(parts[3]) : 0, trail: parts[4] ? decodeNumber(parts[4]) : 0,
      };
    });
  }

  // An article's indexed content back to its fields (title, subtitle, author, source, body). Each field is
  // a list of segments: runs {units: [folded], shown: [as written]} and gaps {text}.
  function decode(content, exceptionsText) {
    var fields = [[]], tokens = [], unitCount = 0, runs = [];
    function flushRun() {
      if (!tokens.length) return;
      var chars = tokens.map(function (t) { return Array.from(t); });
      var shown = chars.length === 1 ? chars[0] : chars.map(function (c) { return c[0]; }).concat([chars[chars.length - 1][1]]);
      var run = { units: shown.map(function (c) { return c.toLowerCase(); }), shown: shown.slice(), first: unitCount };
      unitCount += shown.length;
      fields[fields.length - 1].push(run);
      runs.push(run);
      tokens = [];
    }
    var words = content ? content.split(" ") : [];
    for (var i = 0; i < words.length && fields.length <= 5; i++) {
      var word = words[i];
      if (word === FIELD_MARK) { flushRun(); fields.push([]); continue; }
      if (fields.length === 6) break;
      if (word && Array.from(word).every(isUnit)) { tokens.push(word); continue; }
      flushRun();
      fields[fields.length - 1].push({ text: word.split(WS_MARK).join(" ") });
    }
    flushRun();
    fields = fields.slice(0, 5);
    while (fields.length < 5) fields.push([]);
    // Characters NFKC changed: show the original over its units, hiding what it folded into.
    decodeExceptions(exceptionsText).forEach(function (x) {
      fields.forEach(function (segments) {
        segments.forEach(function (segment, index) {
          if (!segment.units) return;
          for (var k = 0; k < segment.units.length; k++) {
            var unit = segment.first + k;
            if (unit < x.unit || unit >= x.unit + x.count) continue;
            segment.shown[k] = unit === x.unit ? x.original : "";
            var before = segments[index - 1], after = segments[index + 1];
            if (unit === x.unit && k === 0 && before && before.text !== undefined)
              before.text = x.lead ? before.text.slice(0, -x.lead) : before.text;
            if (unit === x.unit + x.count - 1 && k === segment.units.length - 1 && after && after.text !== undefined)
              after.text = after.text.slice(x.trail);
            if (unit > x.unit && k === 0 && before && before.text !== undefined) before.text = "";
          }
        });
      });
    });
    return fields;
  }

  function fieldText(segments) {
    return segments.map(function (s) { return s.text !== undefined ? s.text : s.shown.join(""); }).join("");
  }

  // Mark every occurrence of every query word inside the runs of `segments`; true when one was found.
  function markWords(segments, words) {
    var found = false;
    segments.forEach(function (segment) {
      if (!segment.units) return;
      segment.marked = segment.marked || segment.units.map(function () { return false; });
      words.forEach(function (word) {
        for (var i = 0; i + word.length <= segment.units.length; i++) {
          var same = true;
          for (var k = 0; k < word.length && same; k++) same = segment.units[i + k] === word[k];
          if (same) { found = true; for (k = 0; k < word.length; k++) segment.marked[i + k] = true; }
        }
      });
    });
    return found;
  }

  // Pieces [text, marked] of a field, about `length` characters around its first mark.
  function excerpt(segments, length) {
    var pieces = [];
    segments.forEach(function (segment) {
      if (segment.text !== undefined) { pieces.push([segment.text, false]); return; }
      segment.shown.forEach(function (c, k) { pieces.push([c, !!(segment.marked && segment.marked[k])]); });
    });
    var firstMark = -1, offset = 0, start = 0;
    for (var i = 0; i < pieces.length; i++) {
      if (pieces[i][1]) { firstMark = offset; break; }
      offset += Array.from(pieces[i][0]).length;
    }
    if (firstMark > 30) start = firstMark - 30;
    var out = [], at = 0, used = 0;
    for (i = 0; i < pieces.length && used < length; i++) {
      var chars = Array.from(pieces[i][0]);
      var skip = Math.max(0, start - at);
      at += chars.length;
      chars = chars.slice(skip);
      if (!chars.length) continue;
      chars = chars.slice(0, length - used);
      used += chars.length;
      var last = out[out.length - 1];
      if (last && last[1] === pieces[i][1]) last[0] += chars.join(""); else out.push([chars.join(""), pieces[i][1]]);
    }
    if (out.length) {
      out[0][0] = out[0][0].replace(/^\s+/, "");
      out[out.length - 1][0] = out[out.length - 1][0].replace(/\s+$/, "");
    }
    var total = pieces.reduce(function (n, p) { return n + Array.from(p[0]).length; }, 0);
    if (start > 0) out.unshift(["…", false]);
    if (start + used < total) out.push(["…", false]);
    return out;
  }

  root.SitegenSearchText = {
    isUnit: isUnit, fold: fold, queryWords: queryWords, wordTokens: wordTokens, pagefindQuery: pagefindQuery,
    decode: decode, decodeDate: decodeDate, decodeRanks: decodeRanks, everyPage: EVERY_PAGE, fieldText: fieldText, markWords: markWords, excerpt: excerpt,
  };
})(window);
