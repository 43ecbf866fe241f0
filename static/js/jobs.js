/* The progress page of a background job (templates/portal/job_detail.html): asks the
   server for the job's status, moves the bar, and reloads the page once the job has
   finished so that its result or its reason is shown. No framework, no CDN. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !box.hasAttribute("data-active")) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var badge = document.getElementById("job-status");
  var count = document.getElementById("job-count");
  var message = document.getElementById("job-message");
  var delay = 1000;

  function show(state) {
    badge.textContent = state.status_label;
    badge.className = "badge job-" + state.status;
    if (state.percent === null) { bar.removeAttribute("value"); } else { bar.value = state.percent; }
    if (state.total !== null) {
      count.textContent = state.done + "/" + state.total + " (" + state.percent + "%)";
    }
    if (message) { message.textContent = state.message; }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.active) { window.location.reload(); return; }
        delay = Math.min(delay * 1.3, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
