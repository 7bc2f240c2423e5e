// Conveniences only: every page works without script.
// A form whose button asks to be sure (data-confirm) asks first.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var text = button && button.getAttribute("data-confirm");
  if (text && !window.confirm(text)) { event.preventDefault(); }
});
// A select marked data-autosubmit sends its form when changed (range and step pickers).
document.addEventListener("change", function (event) {
  if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit")) { event.target.form.submit(); }
});
// A page that asks for it (data-refresh, seconds) reloads itself: the overview on a wall screen
// stays live. Not while someone types in a field or has a form open, nor in a hidden tab.
(function () {
  var every = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (!(every > 0)) { return; }
  setInterval(function () {
    var active = document.activeElement;
    var typing = active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    if (!typing && !document.hidden && !document.querySelector("details[open]")) { window.location.reload(); }
  }, every * 1000);
})();
