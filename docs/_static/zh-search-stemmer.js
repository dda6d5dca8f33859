/* Work around Sphinx 9.0 bug #14229 (fixed upstream by sphinx-doc/sphinx#14416): the Chinese site's
   language_data.js ends with `window.Stemmer = ChineseStemmer;`, but no ChineseStemmer exists (Chinese
   search stems Latin words with the English stemmer), so the search page throws a ReferenceError and
   never answers. This script loads before language_data.js and defines the missing name as a factory
   of the English stemmer; it is unused on sites whose language_data.js names another stemmer. */
if (typeof window.ChineseStemmer === "undefined") {
  window.ChineseStemmer = function () {
    return new EnglishStemmer();
  };
}
