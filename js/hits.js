// Hits as the wasm binding hands them over: every string of every hit in one string, every number
// (scores, years, lengths, highlight offsets) in one Float64Array, so that a page of hits costs
// two crossings of the wasm boundary instead of a call per field (src/lib.rs, `PackedHits`,
// writes them). Decoding is only reshaping; the engine decided everything.
//
// Per hit, `numbers` holds: score, year (-1: none), the lengths in UTF-16 code units of id and
// title, the author count and each author's length, the lengths of venue and url (-1: none), the
// snippet's length, its highlight count and [start, end] pairs, then the title's highlight count
// and pairs. `text` holds id, title, authors, venue, url and snippet text, in that order.

/** The hits packed in `text` and `numbers`, as `[{ id, score, title, authors, year, venue, url,
 * snippet: { text, highlights }, highlights }]`. */
export function decodeHits(text, numbers) {
  var hits = [];
  var at = 0; // in text
  var i = 0; // in numbers
  function string() {
    var length = numbers[i++];
    if (length < 0) return null;
    at += length;
    return text.slice(at - length, at);
  }
  function spans() {
    var count = numbers[i++];
    var pairs = new Array(count);
    for (var k = 0; k < count; k++, i += 2) pairs[k] = [numbers[i], numbers[i + 1]];
    return pairs;
  }
  while (i < numbers.length) {
    var score = numbers[i++];
    var year = numbers[i++];
    var id = string();
    var title = string();
    var authors = new Array(numbers[i++]);
    for (var a = 0; a < authors.length; a++) authors[a] = string();
    var venue = string();
    var url = string();
    var snippetText = string();
    var snippet = { text: snippetText, highlights: spans() };
    hits.push({
      id: id,
      score: score,
      title: title,
      authors: authors,
      year: year < 0 ? null : year,
      venue: venue,
      url: url,
      snippet: snippet,
      highlights: spans(),
    });
  }
  return hits;
}
