/* The search tokenizer of sitegen/searchtext.py, in the browser: a query to the terms it looks up, the index's
   files (sitegen/searchindex.py) read back, and an article's page back to its text
   (tests/unit/search_text_cases.json runs through both). */
(function (root) {
  var UNIT = /^[\p{L}\p{N}]$/u;
  var QUERY_SPACES = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var GRAM_MAX = 4;  // searchtext.GRAM_MAX: a word of up to this many units is looked up as itself
  // searchtext.INVISIBLE: characters a reader never sees, dropped from the text and the query alike
  var INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]/gu;
  var SEP = "\u0000";  // searchtext.SEP: between the runs of a word typed with punctuation inside (3.5亿元)

  function isUnit(c) { return UNIT.test(c); }

  // One character as search compares it: NFKC, then lower case character by character.
  function fold(c) {
    return Array.from(c.normalize("NFKC")).map(function (d) { return d.toLowerCase(); }).join("");
  }

  // The query's words as arrays of units, duplicates dropped: '《监督法》 ＩＣＰ' -> [['监','督','法'], ['i','c','p']];
  // punctuation inside a word separates its runs, as in the text: '3.5亿元' -> ['3', SEP, '5', '亿', '元'].
  function queryWords(query) {
    var words = [], seen = {};
    String(query || "").replace(INVISIBLE, "").normalize("NFKC").split(QUERY_SPACES).forEach(function (part) {
      var units = [];
      Array.from(Array.from(part).map(fold).join("")).forEach(function (c) {
        if (isUnit(c)) units.push(c);
        else if (units.length && units[units.length - 1] !== SEP) units.push(SEP);
      });
      if (units[units.length - 1] === SEP) units.pop();
      var key = units.join("");
      if (units.length && !seen[key]) { seen[key] = true; words.push(units); }
    });
    return words;
  }

  // The bigrams a word of two or more units is made of, in order (repeats kept).
  function bigrams(units) {
    var pairs = [];
    for (var i = 0; i + 1 < units.length; i++) pairs.push(units[i] + units[i + 1]);
    return pairs;
  }

  // ---------------------------------------------------------------- the index's files

  var encoder = new TextEncoder();
  function utf8(text) { return encoder.encode(text); }

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();

  // CRC-32 of bytes, as zlib.crc32 computes it.
  function crc32(bytes) {
    var c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  }

  // The file (of `buckets`) holding a term: searchtext.term_bucket.
  function termBucket(term, buckets) { return crc32(utf8(term)) % buckets; }

  function Reader(bytes, at) { this.bytes = bytes; this.at = at || 0; }
  Reader.prototype.varint = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.bytes[this.at++];
      value += (byte & 0x7F) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  Reader.prototype.numbers = function (count, width) {
    var out = new Array(count), b = this.bytes, at = this.at;
    if (width === 2) {
      for (var i = 0; i < count; i++, at += 2) out[i] = b[at] | b[at + 1] << 8;
    } else {
      for (var j = 0; j < count; j++, at += 4) out[j] = (b[at] | b[at + 1] << 8 | b[at + 2] << 16) + b[at + 3] * 16777216;
    }
    this.at = at;
    return out;
  };
  // Whether the entry at the reader names `term` (its UTF-8 bytes); the reader is moved past the name.
  Reader.prototype.named = function (term) {
    var length = this.bytes[this.at++], start = this.at, same = length === term.length;
    for (var i = 0; same && i < length; i++) same = this.bytes[start + i] === term[i];
    this.at = start + length;
    return same;
  };

  // Positions: [flags][varint count][count x occurrences][the positions]; {counts, starts, positions}: the k-th
  // article's are positions[starts[k]] ... positions[starts[k] + counts[k] - 1].
  function readPositions(reader) {
    var flags = reader.bytes[reader.at++], count = reader.varint();
    var counts = reader.numbers(count, flags & 1 ? 4 : 2), total = 0, starts = new Array(count);
    for (var i = 0; i < count; i++) { starts[i] = total; total += counts[i]; }
    return { counts: counts, starts: starts, positions: reader.numbers(total, flags & 2 ? 4 : 2) };
  }

  // A term's entry in a term file: {ranks, values, positions (when they are written in the entry)}, value =
  // occurrences outside the title and subtitle * 4 + 2 if in the title + 1 if in the subtitle; or null.
  function findTerm(bytes, term) {
    var reader = new Reader(bytes);
    while (reader.at < bytes.length) {
      var named = reader.named(term), code = reader.varint(), count = Math.floor(code / 4), gaps = code % 2;
      var ranks = null, values;
      if (named && gaps) {  // a byte each, from the rank before (from -1)
        ranks = new Array(count);
        for (var i = 0, rank = -1; i < count; i++) ranks[i] = rank += bytes[reader.at + i];
        reader.at += count;
      } else if (named) {
        ranks = reader.numbers(count, 2);
      } else {
        reader.at += (gaps ? 1 : 2) * count;
      }
      values = bytes.subarray(reader.at, reader.at + count);
      reader.at += count;
      var positions = code & 2 ? readPositions(reader) : null;
      if (named) return { ranks: ranks, values: values, positions: positions };
    }
    return null;
  }

  // A term's positions in a position file (those too long to follow its entry), or null.
  function findPositions(bytes, term) {
    var reader = new Reader(bytes);
    while (reader.at < bytes.length) {
      var named = reader.named(term), positions = readPositions(reader);
      if (named) return positions;
    }
    return null;
  }

  // docs.bin: where each article's title and subtitle end, by rank.
  function readDocs(bytes) {
    var reader = new Reader(bytes), titleEnds = [], subtitleEnds = [];
    while (reader.at < bytes.length) {
      titleEnds.push(reader.varint());
      subtitleEnds.push(reader.varint());
    }
    return { titleEnds: titleEnds, subtitleEnds: subtitleEnds };
  }

  // ---------------------------------------------------------------- an article's page

  // The fields (title, subtitle, author, source, body) of an article's page (f/<rank>.json): each a list of
  // segments, runs {units: [folded], shown: [as written]} and gaps {text}.
  function fields(page) {
    var unitCount = 0;
    var out = (page.f || []).slice(0, 5).map(function (parts) {
      return parts.map(function (part, i) {
        if (i % 2 === 0) return { text: part };
        var shown = Array.from(part);
        var run = { units: shown.map(function (c) { return c.toLowerCase(); }), shown: shown.slice(), first: unitCount };
        unitCount += shown.length;
        return run;
      });
    });
    while (out.length < 5) out.push([]);
    // Characters NFKC changed: show the original over its units, hiding what it folded into.
    (page.x || []).forEach(function (entry) {
      var x = { unit: entry[0], count: entry[1], original: entry[2], lead: entry[3], trail: entry[4] };
      out.forEach(function (segments) {
        segments.forEach(function (segment, index) {
          if (!segment.units) return;
          for (var k = 0; k < segment.units.length; k++) {
            var unit = segment.first + k;
            if (unit < x.unit || unit >= x.unit + x.count) continue;
            segment.shown[k] = unit === x.unit ? x.original : "";
            if (unit > x.unit && k > unit - x.unit - 1) (segment.owner = segment.owner || {})[k] = k - (unit - x.unit);
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
    return out;
  }

  function fieldText(segments) {
    return segments.map(function (s) { return s.text !== undefined ? s.text : s.shown.join(""); }).join("");
  }

  // Mark every occurrence of every query word in the runs of `segments` (a word with SEP in it across runs, as
  // the index reads them: the field's runs with SEP between); true when one was found.
  function markWords(segments, words) {
    var found = false, flat = [];  // [segment, k] of each unit, SEP between runs
    segments.forEach(function (segment) {
      if (!segment.units) return;
      segment.marked = segment.marked || segment.units.map(function () { return false; });
      if (flat.length) flat.push(SEP);
      segment.units.forEach(function (unit, k) { flat.push([segment, k]); });
    });
    function unitAt(i) { return flat[i] === SEP ? SEP : flat[i][0].units[flat[i][1]]; }
    words.forEach(function (word) {
      for (var i = 0; i + word.length <= flat.length; i++) {
        var same = true;
        for (var k = 0; k < word.length && same; k++) same = unitAt(i + k) === word[k];
        if (!same) continue;
        found = true;
        for (k = 0; k < word.length; k++) if (flat[i + k] !== SEP) flat[i + k][0].marked[flat[i + k][1]] = true;
      }
    });
    segments.forEach(function (segment) {  // a unit hidden behind its character (the 0 of ⑩): mark the character
      Object.keys(segment.owner || {}).forEach(function (k) {
        if (segment.marked[k]) segment.marked[segment.owner[k]] = true;
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
    // A marked word is never cut at the end: its last characters may run past `length`.
    for (i = 0; i < pieces.length && (used < length || pieces[i][1] && out.length && out[out.length - 1][1]); i++) {
      var chars = Array.from(pieces[i][0]);
      var skip = Math.max(0, start - at);
      at += chars.length;
      chars = chars.slice(skip);
      if (!chars.length) continue;
      if (!pieces[i][1]) chars = chars.slice(0, length - used);
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
    GRAM_MAX: GRAM_MAX, isUnit: isUnit, fold: fold, queryWords: queryWords, bigrams: bigrams, utf8: utf8,
    crc32: crc32, termBucket: termBucket, findTerm: findTerm, findPositions: findPositions, readDocs: readDocs,
    fields: fields, fieldText: fieldText, markWords: markWords, excerpt: excerpt,
  };
  if (root.sitegenSearchStart) root.sitegenSearchStart();  // the search page's script came first
})(window);
