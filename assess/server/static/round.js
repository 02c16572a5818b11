/* assess serve, a round's page: refresh each person's progress every few seconds, without a reload. */
(function () {
  "use strict";
  var table = document.getElementById("respondents");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-progress");
  function refresh() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.respondents.forEach(function (person) {
          var cell = table.querySelector("tr[data-respondent=\"" + person.id + "\"] td.progress");
          if (cell) { cell.textContent = person.answered + " / " + person.applicable; }
        });
      }, function () { /* offline for a moment: the next refresh tries again */ });
  }
  window.setInterval(refresh, 5000);
}());
