// MathJax 3 settings for the course pages, loaded before MathJax itself (site/conf.py, html_js_files).
// ipywidgets typesets a widget's description with the MathJax 2 call MathJax.Hub.Queue(["Typeset", Hub, el]);
// MathJax 3 has no Hub, so the frozen views would throw. Hub.Queue here typesets `el` with MathJax 3 instead,
// holding the calls that come before MathJax has started.
(function () {
  var waiting = [];
  function typeset(element) {
    return MathJax.typesetPromise(element ? [element] : undefined).catch(function (error) {
      console.warn("MathJax could not typeset a widget label:", error);
    });
  }
  function queue(command) {
    var element = Array.isArray(command) ? command[2] : undefined;
    if (window.MathJax && window.MathJax.typesetPromise) {
      typeset(element);
    } else {
      waiting.push(element);
    }
  }
  window.MathJax = {
    options: {processHtmlClass: "tex2jax_process|mathjax_process|math|output_area",
              ignoreHtmlClass: "tex2jax_ignore|mathjax_ignore|document"},
    Hub: {Queue: queue},
    startup: {
      ready: function () {
        MathJax.startup.defaultReady();
        MathJax.Hub = {Queue: queue};
        MathJax.startup.promise.then(function () { waiting.splice(0).forEach(typeset); });
      }
    }
  };
})();
