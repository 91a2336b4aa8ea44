// piao — ricerca nel documento (pagina cerca.html).
//
// Searches the static Pagefind index that `piao build` writes in pagefind/, in the browser,
// with nothing from the network. No inline script, so a strict Content-Security-Policy works
// (it needs 'wasm-unsafe-eval' for Pagefind's WebAssembly and worker-src 'self').
// Without JavaScript the page keeps its sentence and the document's index.
(function () {
  'use strict';

  var form = document.getElementById('ricerca');
  var input = document.getElementById('ricerca-testo');
  var status = document.getElementById('ricerca-esito');
  var list = document.getElementById('ricerca-risultati');
  if (!form || !input || !status || !list) return;
  form.hidden = false;

  var query = (new URLSearchParams(window.location.search).get('q') || '').trim();
  input.value = query;
  if (!query) {
    input.focus();
    return;
  }

  /** Pagefind's excerpt as text and <mark> elements only: nothing else of it becomes markup. */
  function excerpt(html) {
    var p = document.createElement('p');
    p.className = 'ricerca-estratto';
    var parsed = new DOMParser().parseFromString(html, 'text/html');
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeName === 'MARK') {
        var mark = document.createElement('mark');
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function say(text) {
    status.textContent = text;
  }

  function show(results) {
    list.textContent = '';
    results.forEach(function (r) {
      var li = document.createElement('li');
      var title = document.createElement('h2');
      title.className = 'ricerca-titolo';
      var a = document.createElement('a');
      a.href = r.url;
      a.textContent = (r.meta && r.meta.title) || r.url;
      title.appendChild(a);
      li.appendChild(title);
      li.appendChild(excerpt(r.excerpt || ''));
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
  }

  var quoted = '«' + query + '»';
  say('Ricerca di ' + quoted + ' in corso…');
  var bundle = new URL(form.getAttribute('data-indice'), document.baseURI).href;
  import(bundle)
    .then(function (pagefind) {
      return pagefind.search(query);
    })
    .then(function (search) {
      var found = (search && search.results) || [];
      return Promise.all(found.map(function (r) { return r.data(); }));
    })
    .then(function (results) {
      show(results);
      if (results.length === 0) {
        say('Nessun risultato per ' + quoted + '. Provare con altre parole, o sfogliare l\'indice del documento qui sotto.');
      } else if (results.length === 1) {
        say('1 risultato per ' + quoted + '.');
      } else {
        say(results.length + ' risultati per ' + quoted + '.');
      }
    })
    .catch(function () {
      show([]);
      say('La ricerca non è disponibile in questa copia del sito (aperta dal disco, o senza l\'indice di ricerca): l\'indice del documento, qui sotto, porta a ogni pagina.');
    });
})();
