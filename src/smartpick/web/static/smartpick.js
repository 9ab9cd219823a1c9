// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Move keyboard and screen-reader focus to the error summary after a failed submit.
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }
  // Ask before destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
// A range slider mirrors a number input (the slider is hidden without JavaScript); releasing it submits the form.
document.querySelectorAll("input[type=range][data-sync]").forEach(function (range) {
  var target = document.getElementById(range.getAttribute("data-sync"));
  if (!target) { return; }
  range.hidden = false;
  range.addEventListener("input", function () { target.value = range.value; });
  range.addEventListener("change", function () { if (target.form) { target.form.requestSubmit(); } });
  target.addEventListener("input", function () { if (target.value !== "") { range.value = target.value; } });
});
