// The page's drawing and file helpers. The maths (training, the grids, the colours) is all in C#;
// this file only puts pixels and shapes on canvases, reads mouse strokes and saves files.
window.pg = {
  // An RGBA grid (w x h bytes x 4) stretched over the canvas, smoothed.
  drawGrid(canvas, w, h, rgba) {
    if (!canvas) return;
    const src = document.createElement('canvas');
    src.width = w; src.height = h;
    src.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
  },
  // The grid, then the points: xy in canvas pixels, one colour each; test points hollow.
  drawBoundary(canvas, w, h, rgba, xy, colours, test) {
    pg.drawGrid(canvas, w, h, rgba);
    const ctx = canvas.getContext('2d');
    for (let i = 0; i < colours.length; i++) {
      ctx.beginPath();
      ctx.arc(xy[2 * i], xy[2 * i + 1], 3.2, 0, 2 * Math.PI);
      ctx.lineWidth = 1.2;
      if (test[i]) { ctx.strokeStyle = colours[i]; ctx.fillStyle = 'rgba(255,255,255,0.7)'; ctx.fill(); ctx.stroke(); }
      else { ctx.fillStyle = colours[i]; ctx.strokeStyle = '#fff'; ctx.fill(); ctx.stroke(); }
    }
  },
  // Many small grids at once (one per neuron, canvases prefix0, prefix1, ...): rgba holds them one after another.
  drawThumbs(prefix, count, w, h, rgba) {
    const n = w * h * 4;
    for (let i = 0; i < count; i++) pg.drawGrid(document.getElementById(prefix + i), w, h, rgba.slice(i * n, (i + 1) * n));
  },
  // Where a click fell on an element, in its own pixels.
  offset(element, clientX, clientY) {
    const r = element.getBoundingClientRect();
    return [clientX - r.left, clientY - r.top, r.width, r.height];
  },
  download(name, mime, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    const a = document.createElement('a');
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
  setUrl(url) { history.replaceState(null, '', url); },
  // The drawing pad of the digits page: black strokes on white; calls the component back with the
  // canvas's grey values (0 = black, 255 = white) after each stroke segment, at most every 60 ms.
  pad(canvas, component) {
    const ctx = canvas.getContext('2d');
    const clear = () => { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height); };
    clear();
    let drawing = false, last = null, pending = false, lastSent = 0;
    const send = () => {
      pending = false; lastSent = performance.now();
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const grey = new Uint8Array(canvas.width * canvas.height);
      for (let i = 0; i < grey.length; i++) grey[i] = data[4 * i]; // strokes are black on white: red = grey
      component.invokeMethodAsync('OnPixels', grey, canvas.width, canvas.height);
    };
    const schedule = () => {
      if (pending) return;
      pending = true;
      setTimeout(send, Math.max(0, 60 - (performance.now() - lastSent)));
    };
    const at = e => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; };
    canvas.addEventListener('pointerdown', e => { drawing = true; last = at(e); canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', e => {
      if (!drawing) return;
      const p = at(e);
      ctx.strokeStyle = '#000'; ctx.lineWidth = canvas.width / 14; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
      ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
      last = p; schedule();
    });
    const end = () => { if (drawing) { drawing = false; schedule(); } };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
    return { clear: () => { clear(); schedule(); } };
  },
  clearPad(pad) { pad.clear(); },
};
