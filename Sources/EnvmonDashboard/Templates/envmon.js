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
