/* The date picker of every date field (inputs marked data-datepicker): the field
   stays a text field holding dd/mm/yyyy, typed or picked in this small calendar.
   No framework, no CDN. Month and day names follow the page's language. */
(function () {
  "use strict";
  var vi = (document.documentElement.lang || "vi").indexOf("vi") === 0;
  var DAYS = vi ? ["T2", "T3", "T4", "T5", "T6", "T7", "CN"] : ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
  var MONTH = vi ? "Tháng " : "Month ";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var format = function (d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); };
  function parse(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) { return null; }
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }
  var panel = null, target = null, shown = null, quiet = false;

  function close() { if (panel) { panel.remove(); panel = null; target = null; } }

  function button(text, label, onClick, cls) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = text; b.className = cls || "";
    if (label) { b.setAttribute("aria-label", label); }
    b.addEventListener("click", function (e) { e.preventDefault(); onClick(); });
    return b;
  }

  function draw() {
    panel.textContent = "";
    var head = document.createElement("div");
    head.className = "dp-head";
    head.appendChild(button("‹", vi ? "Tháng trước" : "Previous month", function () { shown.setMonth(shown.getMonth() - 1); draw(); }));
    var title = document.createElement("span");
    title.textContent = MONTH + (shown.getMonth() + 1) + "/" + shown.getFullYear();
    head.appendChild(title);
    head.appendChild(button("›", vi ? "Tháng sau" : "Next month", function () { shown.setMonth(shown.getMonth() + 1); draw(); }));
    panel.appendChild(head);
    var grid = document.createElement("div");
    grid.className = "dp-grid";
    DAYS.forEach(function (d) { var s = document.createElement("span"); s.textContent = d; grid.appendChild(s); });
    var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
    for (var i = 0; i < (first.getDay() + 6) % 7; i++) { grid.appendChild(document.createElement("span")); }
    var selected = parse(target.value), today = format(new Date());
    var last = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
    for (var day = 1; day <= last; day++) {
      (function (d) {
        var text = format(d);
        var cls = (selected && format(selected) === text ? "dp-on " : "") + (text === today ? "dp-today" : "");
        grid.appendChild(button(String(d.getDate()), text, function () {
          target.value = text;
          target.dispatchEvent(new Event("change", { bubbles: true }));
          var input = target; close();
          quiet = true; input.focus(); quiet = false;  // back to the field, picker closed
        }, cls));
      })(new Date(shown.getFullYear(), shown.getMonth(), day));
    }
    panel.appendChild(grid);
  }

  function open(input) {
    if (quiet || target === input) { return; }
    close();
    target = input;
    var d = parse(input.value) || new Date();
    shown = new Date(d.getFullYear(), d.getMonth(), 1);
    panel = document.createElement("div");
    panel.className = "datepicker";
    panel.setAttribute("role", "dialog");
    input.insertAdjacentElement("afterend", panel);
    draw();
  }

  document.querySelectorAll("input[data-datepicker]").forEach(function (input) {
    input.addEventListener("focus", function () { open(input); });
    input.addEventListener("click", function () { if (!panel) { open(input); } });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape" || e.key === "Tab") { close(); } });
    // A whole date typed in: the calendar steps aside (it may cover the buttons below).
    input.addEventListener("input", function () { if (parse(input.value)) { close(); } });
  });
  document.addEventListener("mousedown", function (e) {
    if (panel && !panel.contains(e.target) && e.target !== target) { close(); }
  });
})();
