/* Uploads on slow links (progressive enhancement: without JavaScript the forms post their files as usual).

   A form marked data-upload="<target>" data-tus="<endpoint>" with files chosen is held back on submit:
   1. phone photos (JPEG/PNG) are made smaller in the browser (browser-image-compression: long edge
      2000 px, JPEG quality 0.8) unless "kirim file asli" is ticked; other files are sent as they are;
   2. each file is sent with the tus protocol (tus-js-client) in chunks, resuming after a dropped
      connection, with a progress bar, the submit buttons disabled until it is done;
   3. the form is then posted with the upload ids (<name>__tus) instead of the files, and the server
      checks each file by content as for a plain upload.
   If the resumable upload fails, the (smaller) files go back into the form and it is posted plainly. */
(function () {
  "use strict";
  var IMAGES = {"image/jpeg": true, "image/png": true};
  var CHUNK = 256 * 1024;
  var COMPRESSION = {maxWidthOrHeight: 2000, initialQuality: 0.8, maxSizeMB: 20, useWebWorker: false};

  function extras(form) { return form.querySelector("[data-upload-extras]"); }

  function text(form, key, fallback) {
    // The texts are written once per page (templates/_upload_scripts.html), not once per form.
    var box = document.querySelector("[data-upload-texts]");
    return (box && box.getAttribute("data-text-" + key)) || fallback;
  }

  function buttons(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function setBusy(form, busy) {
    buttons(form).forEach(function (button) { button.disabled = busy; });
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function show(form, fraction, message) {
    var box = extras(form);
    if (!box) { return; }
    var bar = box.querySelector("[data-upload-progress]");
    var status = box.querySelector("[data-upload-status]");
    if (bar) {
      bar.hidden = fraction === null;
      if (fraction !== null) { bar.value = Math.round(fraction * 100); }
    }
    if (status) { status.textContent = message || ""; }
  }

  function csrf(form) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function sendOriginal(form) {
    var box = extras(form);
    var box_input = box && box.querySelector("[data-send-original]");
    return Boolean(box_input && box_input.checked);
  }

  function compress(file, form) {
    if (!IMAGES[file.type] || sendOriginal(form) || typeof window.imageCompression !== "function") {
      return Promise.resolve(file);
    }
    show(form, null, text(form, "compressing", "…"));
    var options = Object.assign({fileType: file.type}, COMPRESSION);
    return window.imageCompression(file, options).then(function (blob) {
      if (blob.size >= file.size) { return file; }
      return new File([blob], file.name, {type: blob.type || file.type, lastModified: file.lastModified});
    }, function () { return file; });
  }

  function send(file, form, index, count) {
    return new Promise(function (resolve, reject) {
      var target = form.getAttribute("data-upload");
      var upload = new window.tus.Upload(file, {
        endpoint: form.getAttribute("data-tus"),
        chunkSize: CHUNK,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
        removeFingerprintOnSuccess: true,
        metadata: {filename: file.name, filetype: file.type, target: target},
        headers: {"X-CSRFToken": csrf(form)},
        fingerprint: function (f) {
          return Promise.resolve(["kks", target, f.name, f.type, f.size, f.lastModified].join("|"));
        },
        onProgress: function (sent, total) {
          var fraction = (index + (total ? sent / total : 1)) / count;
          show(form, fraction, text(form, "uploading", "") + " " + Math.round(fraction * 100) + "%");
        },
        onSuccess: function () { resolve(upload.url.replace(/\/+$/, "").split("/").pop()); },
        onError: reject
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
        upload.start();
      }, function () { upload.start(); });
    });
  }

  function putBack(input, files) {
    try {
      var transfer = new DataTransfer();
      files.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
    } catch (error) { /* old browsers: the original files stay in the input */ }
  }

  function resubmit(form, submitter) {
    // The button pressed ("Simpan" or "Simpan & ajukan") goes along as a field: htmx forgets it when the
    // disabled button lost focus, and the server needs to know which action was asked for.
    if (submitter && submitter.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = submitter.name;
      pressed.value = submitter.value;
      pressed.setAttribute("data-tus-id", "");
      form.appendChild(pressed);
    }
    form.setAttribute("data-upload-ready", "1");
    setBusy(form, false);
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(submitter || undefined);
    } else {
      form.submit();
    }
    setBusy(form, true); // the request carries the form's values already; keep the buttons off until it ends
  }

  function chosen(form) {
    return Array.prototype.filter.call(form.querySelectorAll('input[type="file"]'), function (input) {
      return input.files && input.files.length;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) { return; }
    if (form.getAttribute("data-upload-ready") === "1") {
      form.removeAttribute("data-upload-ready");
      return; // our own resubmission: let htmx or the browser send it
    }
    var inputs = chosen(form);
    if (!inputs.length) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    var useTus = form.hasAttribute("data-tus") && window.tus && window.tus.isSupported;
    setBusy(form, true);
    form.querySelectorAll('input[data-tus-id]').forEach(function (old) { old.remove(); });
    var jobs = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) { jobs.push({input: input, file: file}); });
    });
    Promise.all(jobs.map(function (job) {
      return compress(job.file, form).then(function (file) { job.file = file; });
    })).then(function () {
      if (!useTus) { throw new Error("no tus"); }
      var chain = Promise.resolve();
      jobs.forEach(function (job, index) {
        chain = chain.then(function () {
          return send(job.file, form, index, jobs.length).then(function (id) { job.id = id; });
        });
      });
      return chain.then(function () {
        jobs.forEach(function (job) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = job.input.name + "__tus";
          hidden.value = job.id;
          hidden.setAttribute("data-tus-id", "");
          form.appendChild(hidden);
        });
        // The ids stand for the files now: empty the inputs (no longer required, so the form can be sent).
        inputs.forEach(function (input) { input.value = ""; input.required = false; });
        show(form, 1, text(form, "done", ""));
        resubmit(form, submitter);
      });
    }).catch(function () {
      // Plain upload of the (possibly smaller) files: progress comes from htmx, if the form uses it.
      inputs.forEach(function (input) {
        putBack(input, jobs.filter(function (job) { return job.input === input; }).map(function (job) { return job.file; }));
      });
      show(form, null, useTus ? text(form, "fallback", "") : "");
      resubmit(form, submitter);
    });
  }, true);

  // Plain (htmx) posts of a form with files: progress and disabled buttons while the request runs.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload]");
    var detail = event.detail || {};
    if (form && detail.lengthComputable && detail.total) {
      show(form, detail.loaded / detail.total, text(form, "uploading", "") + " " + Math.round(100 * detail.loaded / detail.total) + "%");
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload]");
    if (form) { setBusy(form, true); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload]");
    if (form && form.isConnected) { setBusy(form, false); }
  });

  function reveal(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-upload-extras]").forEach(function (box) {
      box.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:load", function (event) { reveal(event.target || document); });
})();
