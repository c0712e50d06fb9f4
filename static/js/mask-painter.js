// Paint an inpaint mask over the image: strokes are kept as a list (so undo is a pop),
// shown in red over the picture, and turned into a black and white PNG at the image's
// own size when the form is sent. Without this script the form's file field still works.
(() => {
  const MIN_BRUSH = 4;

  function setUp(painter) {
    const form = painter.closest("form");
    const canvas = painter.querySelector("canvas");
    const brush = painter.querySelector("[data-mask-brush]");
    const error = painter.querySelector("[data-mask-error]");
    const fileInput = form.querySelector("input[type=file][name=mask]");
    const operation = form.querySelector("select[name=edit_operation]");
    const width = Number(painter.dataset.width);
    const height = Number(painter.dataset.height);
    const context = canvas.getContext("2d");
    const strokes = [];
    let current = null;
    let sending = false;

    canvas.width = width;
    canvas.height = height;
    painter.hidden = false;
    form.classList.add("mask-painting");

    // Pointer positions are in CSS pixels of the shown canvas; strokes are in image pixels.
    function imagePoint(event) {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * width) / box.width,
        ((event.clientY - box.top) * height) / box.height,
      ];
    }

    function brushSize() {
      const box = canvas.getBoundingClientRect();
      const shown = Math.max(MIN_BRUSH, Number(brush.value));
      return (shown * width) / Math.max(box.width, 1);
    }

    function draw(target, stroke, color) {
      target.strokeStyle = color;
      target.fillStyle = color;
      target.lineWidth = stroke.size;
      target.lineCap = "round";
      target.lineJoin = "round";
      const [first, ...rest] = stroke.points;
      if (!rest.length) {
        target.beginPath();
        target.arc(first[0], first[1], stroke.size / 2, 0, Math.PI * 2);
        target.fill();
        return;
      }
      target.beginPath();
      target.moveTo(first[0], first[1]);
      rest.forEach(([x, y]) => target.lineTo(x, y));
      target.stroke();
    }

    function redraw() {
      context.clearRect(0, 0, width, height);
      strokes.forEach((stroke) => draw(context, stroke, "rgb(255, 40, 60)"));
      painter.dataset.strokes = String(strokes.length);
    }

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      current = { size: brushSize(), points: [imagePoint(event)] };
      strokes.push(current);
      showError("");
      redraw();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!current) return;
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      (events.length ? events : [event]).forEach((each) => current.points.push(imagePoint(each)));
      redraw();
    });
    const endStroke = () => {
      current = null;
    };
    canvas.addEventListener("pointerup", endStroke);
    canvas.addEventListener("pointercancel", endStroke);

    painter.querySelector("[data-mask-undo]").addEventListener("click", () => {
      strokes.pop();
      redraw();
    });
    painter.querySelector("[data-mask-clear]").addEventListener("click", () => {
      strokes.length = 0;
      redraw();
    });

    function maskBlob() {
      const mask = document.createElement("canvas");
      mask.width = width;
      mask.height = height;
      const target = mask.getContext("2d");
      target.fillStyle = "black";
      target.fillRect(0, 0, width, height);
      strokes.forEach((stroke) => draw(target, stroke, "white"));
      return new Promise((resolve) => mask.toBlob(resolve, "image/png"));
    }

    form.addEventListener("submit", async (event) => {
      if (sending || operation.value !== "inpaint") return;
      if (!strokes.length) {
        if (fileInput.files.length) return; // a mask file chosen by hand is sent as it is
        event.preventDefault();
        showError("Paint over the part of the image to repaint first.");
        canvas.focus();
        return;
      }
      event.preventDefault();
      const blob = await maskBlob();
      const files = new DataTransfer();
      files.items.add(new File([blob], "mask.png", { type: "image/png" }));
      fileInput.files = files.files;
      sending = true;
      form.submit();
    });
    redraw();
  }

  document.querySelectorAll("[data-mask-painter]").forEach(setUp);
})();
