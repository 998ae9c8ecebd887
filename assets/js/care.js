/* 关怀模式 (care mode): the header switch, the reading line (阅读线) that follows the pointer, and reading an
   article aloud with the browser's own speech (speechSynthesis). Nothing here starts or appears by itself. */
(function () {
  var root = document.documentElement;
  var bar = document.getElementById("care-bar");
  function get(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function set(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* not kept, still applied */ } }
  function on() { return root.getAttribute("data-care") === "on"; }

  // ---------------------------------------------------------------- the switch
  var switches = document.querySelectorAll("[data-care-switch]");
  function show() {
    for (var i = 0; i < switches.length; i++) {
      switches[i].setAttribute("role", "button");
      switches[i].setAttribute("aria-pressed", String(on()));
    }
    if (bar) bar.hidden = !on();
    guide(on() && root.getAttribute("data-guide") === "on");
  }
  function toggle() {
    var care = !on();
    set("care", care ? "on" : "off");
    root.setAttribute("data-care", care ? "on" : "off");
    var size = get(care ? "careFontSize" : "fontSize") || (care ? "xlarge" : "");
    if (size) { root.setAttribute("data-font-size", size); } else { root.removeAttribute("data-font-size"); }
    if (care && get("readingGuide") === "on") { root.setAttribute("data-guide", "on"); } else { root.removeAttribute("data-guide"); }
    if (!care) stop();
    if (location.hash === "#care") history.replaceState(history.state, "", location.pathname + location.search);
    document.dispatchEvent(new Event("fontsize:changed"));
    show();
  }
  for (var i = 0; i < switches.length; i++) {
    switches[i].addEventListener("click", function (event) { event.preventDefault(); toggle(); });
    switches[i].addEventListener("keydown", function (event) {  // a button answers Space as well as Enter
      if (event.key === " ") { event.preventDefault(); toggle(); }
    });
  }

  // ---------------------------------------------------------------- the reading line and cross-hair
  var guideButton = document.querySelector("[data-guide-switch]");
  var line = null, cross = null, frame = 0, lastX = 0, lastY = 0;
  function place() {
    frame = 0;
    if (!line) return;
    line.style.top = lastY + "px";
    cross.style.left = lastX + "px";
    line.hidden = cross.hidden = false;
  }
  function follow(x, y) {
    lastX = x; lastY = y;
    if (!frame) frame = requestAnimationFrame(place);
  }
  function onPointer(event) { follow(event.clientX, event.clientY); }
  function onFocus(event) {  // keyboard readers get the line on what has the focus
    var box = event.target.getBoundingClientRect && event.target.getBoundingClientRect();
    if (box) follow(box.left + Math.min(box.width / 2, 40), box.top + box.height / 2);
  }
  function guide(wanted) {
    if (guideButton) guideButton.setAttribute("aria-pressed", String(wanted));
    if (wanted && !line) {
      line = document.createElement("div");
      line.className = "reading-line";
      cross = document.createElement("div");
      cross.className = "reading-cross";
      line.hidden = cross.hidden = true;  // shown where the pointer is, once it moves
      line.setAttribute("aria-hidden", "true");
      cross.setAttribute("aria-hidden", "true");
      document.body.appendChild(line);
      document.body.appendChild(cross);
      document.addEventListener("pointermove", onPointer, { passive: true });
      document.addEventListener("focusin", onFocus);
    } else if (!wanted && line) {
      line.remove(); cross.remove(); line = cross = null;
      document.removeEventListener("pointermove", onPointer);
      document.removeEventListener("focusin", onFocus);
    }
  }
  if (guideButton) {
    guideButton.addEventListener("click", function () {
      var wanted = root.getAttribute("data-guide") !== "on";
      set("readingGuide", wanted ? "on" : "off");
      if (wanted) { root.setAttribute("data-guide", "on"); } else { root.removeAttribute("data-guide"); }
      guide(wanted);
    });
  }

  // ---------------------------------------------------------------- reading aloud
  var play = document.querySelector("[data-speech='play']");
  var pause = document.querySelector("[data-speech='pause']");
  var stopButton = document.querySelector("[data-speech='stop']");
  var status = document.getElementById("speech-status");
  var reading = { blocks: [], index: 0, token: 0, state: "idle", voice: null };
  var NO_VOICE = "本设备没有中文语音，无法朗读。可在手机或电脑的系统设置中添加“中文（普通话）”语音后再试。";

  function say(text) { if (status) status.textContent = text; }
  function synth() { return window.speechSynthesis || null; }
  function buttons() {
    if (!play) return;
    play.textContent = reading.state === "paused" ? "继续朗读" : "朗读全文";
    play.disabled = reading.state === "speaking";
    pause.disabled = reading.state !== "speaking";
    stopButton.disabled = reading.state === "idle";
  }
  function chineseVoice(voices) {
    var best = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn") return voices[i];
      if (!best && lang.indexOf("zh") === 0) best = voices[i];
    }
    return best;
  }
  function voices(done) {  // Chromium fills the list a moment after the first call
    var speech = synth();
    var list = speech.getVoices();
    if (list.length) { done(list); return; }
    var answered = false;
    function answer() { if (!answered) { answered = true; done(speech.getVoices()); } }
    speech.addEventListener && speech.addEventListener("voiceschanged", answer, { once: true });
    setTimeout(answer, 1500);
  }
  function highlight(element) {
    var old = document.querySelectorAll(".reading");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("reading");
    if (element) {
      element.classList.add("reading");
      element.scrollIntoView({ block: "nearest" });
    }
  }
  function blocks() {
    var found = document.querySelectorAll(".article-head h1, .article-head .subtitle, " +
      ".article-body p, .article-body h2, .article-body h3, .article-body h4, .article-body li, .article-body figcaption");
    var list = [];
    for (var i = 0; i < found.length; i++) {
      if (found[i].textContent.trim() && !found[i].closest("[hidden]")) list.push(found[i]);
    }
    return list;
  }
  function next(token) {
    if (token !== reading.token) return;
    if (reading.index >= reading.blocks.length) { finish("朗读完毕。"); return; }
    var element = reading.blocks[reading.index];
    var utterance = new SpeechSynthesisUtterance(element.textContent.trim());
    utterance.voice = reading.voice;
    utterance.lang = reading.voice.lang || "zh-CN";
    utterance.rate = 0.9;  // a little slower than the default, for older listeners
    utterance.onend = function () { if (token === reading.token) { reading.index += 1; next(token); } };
    utterance.onerror = function (event) {
      if (token !== reading.token || event.error === "interrupted" || event.error === "canceled") return;
      finish("朗读出错（" + event.error + "），已停止。");
    };
    highlight(element);
    say("正在朗读第 " + (reading.index + 1) + " 段，共 " + reading.blocks.length + " 段。");
    synth().speak(utterance);
  }
  function finish(message) {
    reading.token += 1;
    reading.state = "idle";
    highlight(null);
    say(message);
    buttons();
  }
  function stop() {
    if (reading.state === "idle") return;
    reading.token += 1;
    var speech = synth();
    if (speech) speech.cancel();
    finish("已停止朗读。");
  }
  if (play) {
    play.addEventListener("click", function () {
      var speech = synth();
      if (!speech || typeof SpeechSynthesisUtterance === "undefined") { say("这个浏览器不支持语音朗读。"); return; }
      if (reading.state === "paused") {
        speech.resume();
        reading.state = "speaking";
        say("继续朗读。");
        buttons();
        return;
      }
      say("正在准备朗读……");
      voices(function (list) {
        var voice = chineseVoice(list);
        if (!voice) { say(NO_VOICE); return; }
        speech.cancel();
        reading = { blocks: blocks(), index: 0, token: reading.token + 1, state: "speaking", voice: voice };
        buttons();
        next(reading.token);
      });
    });
    pause.addEventListener("click", function () {
      if (reading.state !== "speaking") return;
      synth().pause();
      reading.state = "paused";
      say("已暂停，按“继续朗读”接着读。");
      buttons();
    });
    stopButton.addEventListener("click", stop);
    window.addEventListener("pagehide", function () { var s = synth(); if (s && reading.state !== "idle") s.cancel(); });
    buttons();
  }
  show();
})();
