// Sign-up: a time-zone list marked data-browser-zone, while nothing is chosen in it, takes the
// device's own zone (when the list has it). The person can still choose another; without this
// script the list stays on the server's zone.
for (const select of document.querySelectorAll("select[data-browser-zone]")) {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  if (!select.value && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}
