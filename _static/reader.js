/* Small fixes to what a reader sees and does; the styles are in reader.css, the checks in
   browser_tests/test_reader.py.
   - Boxes that scroll sideways (equations, wide formulas and tables, code) get a visible cue and can be
     reached with the keyboard.
   - An inline formula wider than the column scrolls instead of being cut.
   - A figure shown narrower than it was drawn enlarges on tap.
   - The link in a solution's title follows the link instead of folding the solution.
   - Search result snippets show formulas as text, not as raw TeX. */
(() => {
  "use strict";

  const SCROLLERS = [
    "div.math mjx-container",
    "span.math.math-wide",
    ".pst-scrollable-table-container",
    "div.highlight pre",
    ".cell_output pre",
  ].join(", ");

  const contentWidth = (el) => {
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };

  // An inline formula is "wide" when it does not fit its block even on a line of its own.
  function markWideInlineMath() {
    const formulas = [...document.querySelectorAll("span.math")];
    formulas.forEach((el) => el.classList.remove("math-wide"));
    const wide = formulas.filter((el) => {
      const block = el.parentElement && el.parentElement.closest("p, li, dd, dt, td, th, div, section");
      return block && el.getBoundingClientRect().width > contentWidth(block) + 0.5;
    });
    wide.forEach((el) => el.classList.add("math-wide"));
  }

  function updateEdges(el) {
    el.classList.toggle("more-left", el.scrollLeft > 1);
    el.classList.toggle("more-right", el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
  }

  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach((el) => {
      if (el.getClientRects().length === 0) return; // folded away; marked when shown
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      el.classList.toggle("scrolls-x", scrolls);
      if (scrolls) {
        if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
        if (!el.dataset.readerScroll) {
          el.dataset.readerScroll = "1";
          el.addEventListener("scroll", () => updateEdges(el), { passive: true });
        }
        updateEdges(el);
      } else {
        el.classList.remove("more-left", "more-right");
      }
      if (el.matches(".pst-scrollable-table-container")) {
        const hint = el.previousElementSibling;
        const hasHint = hint && hint.classList.contains("scroll-hint");
        if (scrolls && !hasHint) {
          const line = document.createElement("p");
          line.className = "scroll-hint";
          line.setAttribute("aria-hidden", "true");
          line.textContent = "Wide table: scroll sideways for more \u2192";
          el.before(line);
        } else if (!scrolls && hasHint) {
          hint.remove();
        }
      }
    });
  }

  // Figures: the CSS width the plot was drawn at (2x PNGs carry it in their width attribute).
  function drawnWidth(img) {
    return parseFloat(img.getAttribute("width")) || img.naturalWidth;
  }

  function markZoomableFigures() {
    document.querySelectorAll(".cell_output img, figure img").forEach((img) => {
      if (!img.complete || img.naturalWidth === 0) return;
      const holder = img.parentElement;
      const enlarged = holder.classList.contains("reader-enlarged");
      const zoomable = enlarged || img.getBoundingClientRect().width < 0.85 * drawnWidth(img);
      img.classList.toggle("reader-zoomable", zoomable);
      if (zoomable && !img.dataset.readerZoom) {
        img.dataset.readerZoom = "1";
        img.setAttribute("tabindex", "0");
        img.setAttribute("title", "Tap to enlarge; tap again to fit");
        const toggle = () => {
          const on = !holder.classList.contains("reader-enlarged");
          holder.classList.toggle("reader-enlarged", on);
          img.style.width = on ? `${drawnWidth(img)}px` : "";
          schedule();
        };
        img.addEventListener("click", (event) => {
          if (!img.classList.contains("reader-zoomable")) return; // full size already: the link opens it
          event.preventDefault(); // Sphinx links a sized image to its file; enlarging here keeps the place
          toggle();
        });
        img.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            toggle();
          }
        });
      }
    });
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      markWideInlineMath();
      markScrollers();
      markZoomableFigures();
    });
  }

  // The toggle button makes a solution's whole title clickable; a click on the link inside it must only
  // follow the link.
  function keepTitleLinksFromFolding() {
    document.querySelectorAll(".admonition-title a[href]").forEach((link) => {
      link.addEventListener("click", (event) => event.stopPropagation());
    });
  }

  // Search snippets are cut from the page's HTML, where a formula is TeX source: show it as text.
  const TEX_SYMBOLS = {
    odot: "\u2299", cdot: "\u00b7", times: "\u00d7", in: "\u2208", top: "\u22a4", partial: "\u2202",
    sigma: "\u03c3", delta: "\u03b4", Delta: "\u0394", beta: "\u03b2", alpha: "\u03b1", ell: "\u2113",
    leq: "\u2264", le: "\u2264", geq: "\u2265", ge: "\u2265", neq: "\u2260", ne: "\u2260",
    approx: "\u2248", to: "\u2192", rightarrow: "\u2192", leftarrow: "\u2190", sum: "\u03a3",
    prod: "\u03a0", infty: "\u221e", ldots: "\u2026", cdots: "\u22ef", dots: "\u2026", R: "R",
  };
  function texToText(tex) {
    return tex
      .replace(/\\[()[\]]/g, "")
      .replace(/\\begin\{[^}]*\}|\\end\{[^}]*\}|\\left|\\right|\\,|\\;|\\!|\\quad|\\qquad/g, " ")
      .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\(mathbb|mathbf|mathrm|boldsymbol|operatorname|text|textrm|mathit)\{([^{}]*)\}/g, "$2")
      .replace(/\\([A-Za-z]+)/g, (_, name) => TEX_SYMBOLS[name] || name)
      .replace(/\\\\|&/g, " ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ");
  }
  function searchSnippetsWithoutTex() {
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    const original = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll("span.math, div.math").forEach((el) => {
        el.textContent = ` ${texToText(el.textContent)} `;
      });
      return original(doc.documentElement.outerHTML, anchor);
    };
  }

  function start() {
    searchSnippetsWithoutTex(); // searchtools.js has defined Search by now; snippets are cut later
    keepTitleLinksFromFolding();
    schedule();
    const article = document.querySelector(".bd-article") || document.body;
    new ResizeObserver(schedule).observe(article);
    window.addEventListener("resize", schedule);
    document.addEventListener("toggle", schedule, true); // <details>, e.g. "Show code cell source"
    window.addEventListener("load", schedule);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(schedule);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
