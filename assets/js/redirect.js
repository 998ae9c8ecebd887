/* On the 404 page: an old address with a query string (show.asp?id=77), or of a file type a redirect page
   cannot be (article.jsp), is looked up in redirects.json and replaced by its new page. GitHub Pages ignores
   the query when it picks a file, so only this page can tell show.asp?id=77 from show.asp?id=78. The key
   is normalised as sitegen/redirects.py redirect_key does: path percent-decoded, lower-cased, no trailing
   '/'; query parameters decoded ('+' is a space), names lower-cased, empty ones dropped, sorted. */
(function () {
  var script = document.currentScript;
  if (!script) return;
  var base = script.getAttribute('data-base') || '/';
  var mapUrl = script.getAttribute('data-map');

  function decode(text, plus) {
    if (plus) text = text.replace(/\+/g, ' ');
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  function key(path, query) {
    path = decode(path, false).toLowerCase();
    if (path.length > 1) path = path.replace(/\/+$/, '') || '/';
    var params = [];
    query.replace(/^\?/, '').split('&').forEach(function (part) {
      if (!part) return;
      var at = part.indexOf('=');
      var name = at < 0 ? part : part.slice(0, at);
      var rest = at < 0 ? '' : '=' + decode(part.slice(at + 1), true);
      params.push(decode(name, true).toLowerCase() + rest);
    });
    params.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    return path + (params.length ? '?' + params.join('&') : '');
  }

  // Only such addresses are in the map (sitegen/redirects.py redirected_by_404): other 404s ask nothing.
  var name = location.pathname.replace(/\/+$/, '').split('/').pop();
  var html = /\.(htm|html|shtml|shtm|xhtml)$/i.test(name);
  if (!(location.search.length > 1 || (name.indexOf('.') >= 0 && !html && !/\/$/.test(location.pathname)))) return;

  var path = location.pathname;
  if (base !== '/' && path.indexOf(base) === 0) path = '/' + path.slice(base.length);
  else if (base !== '/' && path + '/' === base) path = '/';
  var wanted = key(path, location.search);

  var request = new XMLHttpRequest();
  request.open('GET', mapUrl);
  request.onload = function () {
    if (request.status !== 200) return;
    var map;
    try { map = JSON.parse(request.responseText); } catch (e) { return; }
    if (Object.prototype.hasOwnProperty.call(map, wanted)) location.replace(map[wanted] + location.hash);
  };
  request.send();
})();
