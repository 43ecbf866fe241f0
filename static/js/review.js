/* The version page: quote the passage selected in the text into a new comment. */
(function () {
  "use strict";
  var button = document.querySelector("[data-quote-selection]");
  var body = document.getElementById("version-body");
  if (!button || !body) { return; }
  var form = button.form;
  var field = form.querySelector("textarea[name=quote]");
  var last = "";
  // Remember the last selection made inside the text: pressing the button may clear it.
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (selection && selection.rangeCount && !selection.isCollapsed &&
        body.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      last = selection.toString().trim();
    }
  });
  button.addEventListener("click", function () {
    if (!last) {
      window.alert(form.getAttribute("data-quote-empty"));
      return;
    }
    field.value = last;
    form.querySelector("textarea[name=body]").focus();
  });
})();
