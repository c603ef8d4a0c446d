// juesuan web: drag and drop, filters, batch progress.  The pages work without it.
document.addEventListener("DOMContentLoaded", () => {
  // drag & drop onto the upload zone; show that work is under way after submit
  document.querySelectorAll("form.drop").forEach((form) => {
    const zone = form.querySelector(".dropzone");
    const input = form.querySelector("input[type=file]");
    if (zone && input) {
      ["dragenter", "dragover"].forEach((e) => zone.addEventListener(e, (ev) => {
        ev.preventDefault(); zone.classList.add("over");
      }));
      ["dragleave", "drop"].forEach((e) => zone.addEventListener(e, (ev) => {
        ev.preventDefault(); zone.classList.remove("over");
      }));
      zone.addEventListener("drop", (ev) => {
        if (ev.dataTransfer && ev.dataTransfer.files.length) {
          input.files = ev.dataTransfer.files;
          form.requestSubmit();
        }
      });
    }
    form.addEventListener("submit", () => {
      const busy = form.querySelector(".busy");
      if (busy) busy.hidden = false;
      form.querySelectorAll("button").forEach((b) => (b.disabled = true));
    });
  });

  // confirmations
  document.querySelectorAll("form[data-confirm]").forEach((f) =>
    f.addEventListener("submit", (ev) => { if (!confirm(f.dataset.confirm)) ev.preventDefault(); }));

  // finding filters
  const sevBoxes = document.querySelectorAll(".sev-filter");
  const family = document.getElementById("family-filter");
  function applyFilters() {
    const on = new Set([...sevBoxes].filter((b) => b.checked).map((b) => b.value));
    const fam = family ? family.value : "";
    document.querySelectorAll(".finding").forEach((li) => {
      li.hidden = !(on.has(li.dataset.severity) && (!fam || li.dataset.family === fam));
    });
    document.querySelectorAll(".sev-heading").forEach((h) => {
      h.hidden = !on.has(h.dataset.severity);
    });
  }
  sevBoxes.forEach((b) => b.addEventListener("change", applyFilters));
  if (family) family.addEventListener("change", applyFilters);

  // scroll a highlighted cell into view
  const hl = document.querySelector("td.hl");
  if (hl) hl.scrollIntoView({ block: "center", inline: "center" });

  // batch progress: poll the JSON API until done, then reload once to show the final table
  const job = document.getElementById("job");
  if (job && job.dataset.status !== "done") {
    const bar = job.querySelector(".bar");
    const status = document.getElementById("job-status");
    const poll = async () => {
      try {
        const r = await fetch(`/api/jobs/${job.dataset.job}`, { headers: { Accept: "application/json" } });
        const j = await r.json();
        bar.style.width = `${j.total ? (100 * j.done) / j.total : 100}%`;
        job.querySelector(".progress").setAttribute("aria-valuenow", j.done);
        status.textContent = j.status === "done" ? "已完成，正在刷新……" : `正在审核：${j.done} / ${j.total}……`;
        if (j.status === "done") { location.reload(); return; }
      } catch (e) { /* network hiccup: try again */ }
      setTimeout(poll, 1000);
    };
    setTimeout(poll, 800);
  }
});
