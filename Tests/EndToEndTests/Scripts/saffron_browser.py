# What every browser script starts with (`from saffron_browser import *`): imports, printing steps, bounded waits,
# Chromium (also as a phone, and recording the WebSockets it opens), signing in through the portal, Connect in browser
# until the desktop is drawn, and running a script's steps with failure reports. A script prints one `key value` line
# per step (values are JSON where they are more than a word) and `fail REASON` when a step fails; `BrowserRun`
# follows those lines.
import json, os, signal, sys, time
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

# SIGTERM (the test giving up) still quits Chromium and chromedriver, in run()'s finally.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
# States of console.html before it knows how things went.
CONSOLE_PENDING = ("", "loading", "connecting")

def say(*words):
    print(*words, flush=True)

def until(what, seconds, probe, interval=0.2):
    deadline = time.monotonic() + seconds
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("timed out after %s s waiting for %s" % (seconds, what))
        time.sleep(interval)

def status(driver):
    """The data-state and text of the status element, on the console and phone pages."""
    return driver.execute_script(
        "const s = document.getElementById('status');"
        "return s ? [s.dataset.state || '', s.textContent.trim()] : ['', ''];")

def settled(driver, pending):
    state, text = status(driver)
    return None if state in pending else [state, text]

# A phone's user agent, for browser(phone=...).
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0.0.0 Mobile Safari/537.36")

def browser(profile, phone=None, sockets=False):
    """Headless Chromium as root (hence --no-sandbox), its own profile folder keeping runs apart. `phone`
    (width, height in CSS pixels) emulates a phone: a 3x touch screen with PHONE_AGENT that honours the
    page's viewport meta tag as a phone's browser does. `sockets` records the network events that
    websockets_opened() reads."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--no-sandbox", "--headless=new", "--disable-gpu", "--window-size=1280,900",
                 "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile):
        options.add_argument(flag)
    if phone:
        metrics = {"width": phone[0], "height": phone[1], "pixelRatio": 3.0, "mobile": True, "touch": True}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics, "userAgent": PHONE_AGENT})
    logs = {"browser": "ALL"}
    if sockets:
        logs["performance"] = "ALL"
    options.set_capability("goog:loggingPrefs", logs)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

def websockets_opened(driver):
    """The URLs of the WebSockets the browser created since the last call (needs browser(sockets=True))."""
    urls = []
    for entry in driver.get_log("performance"):
        event = json.loads(entry["message"])["message"]
        if event.get("method") == "Network.webSocketCreated":
            urls.append(event["params"]["url"])
    return urls

def portal_error(driver):
    error = driver.find_element(By.ID, "error")
    if error.is_displayed() and error.text:
        raise RuntimeError("the page shows an error: " + error.text)

def sign_in(driver, base, name, secret):
    """The portal's sign-in form; returns the pool list it then shows."""
    driver.get(base + "/")
    until("the sign-in form", 20, lambda: driver.find_element(By.ID, "username").is_displayed())
    driver.find_element(By.ID, "username").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(secret)
    driver.find_element(By.ID, "login-button").click()
    def pools():
        portal_error(driver)
        return driver.find_elements(By.CSS_SELECTOR, "#pools li.pool")
    return until("the pool list of " + name, 20, pools)

# The desktop's canvas as the user sees it: its CSS background is black (a fresh SPICE surface is black), so
# pixels spice-html5 has not drawn count as dark. The share that is dark (luma < 10%) and light (luma > 50%):
# a canvas never drawn on has no light pixels and fails.
MEASURE = '''
const canvas = document.querySelector('#spice-screen canvas');
if (!canvas || canvas.width < 64 || canvas.height < 64) return null;
const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let dark = 0, light = 0;
for (let i = 0; i < data.length; i += 4) {
  if (data[i + 3] === 0) { dark++; continue; }
  const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  if (luma < 25.5) dark++; else if (luma > 127.5) light++;
}
const total = canvas.width * canvas.height;
return {width: canvas.width, height: canvas.height, dark: dark / total, light: light / total};
'''

def connect_until_drawn(driver, pool):
    """On the signed-in portal: Connect in browser on `pool`, until the console is connected and its canvas
    shows the guest's console. Prints session, status and pixels; returns the session id."""
    card = until("the portal to list " + pool, 20,
                 lambda: driver.find_elements(By.CSS_SELECTOR, '#pools li.pool[data-pool="%s"]' % pool))[0]
    say("pool-card", json.dumps(card.text.replace("\n", " | ")))
    card.find_element(By.XPATH, ".//button[normalize-space()='Connect in browser']").click()
    until("the console page", 30, lambda: "/console.html?session=" in driver.current_url)
    session = driver.current_url.split("session=", 1)[1].split("&", 1)[0]
    say("session", session)
    until_drawn(driver)
    return session

def until_drawn(driver):
    """On the console page: until it is connected and its canvas shows the guest's console. Prints status and
    pixels."""
    def connected():
        state, text = status(driver)
        if state not in CONSOLE_PENDING + ("connected",):
            raise RuntimeError("the console shows %s: %s" % (state, text))
        return state == "connected"
    until("the status bar to say connected", 60, connected)
    say("status", json.dumps(status(driver)))
    last = {}
    def drawn():
        connected()
        last["measure"] = driver.execute_script(MEASURE)
        measure = last["measure"]
        return measure and measure["dark"] >= 0.5 and measure["light"] >= 0.004
    try:
        until("the canvas to show the guest's console", 60, drawn, interval=0.5)
    finally:
        say("pixels", json.dumps(last.get("measure")))

def wait_until_ended(driver, who):
    """Until the console says session-ended; prints `ended` with its text."""
    def ended():
        state, text = status(driver)
        if state not in CONSOLE_PENDING + ("connected", "session-ended"):
            raise RuntimeError("%s console shows %s instead of session ended: %s" % (who, state, text))
        return state == "session-ended" and text
    say("ended", json.dumps(until(who + " console to say the session ended", 30, ended, interval=0.1)))

def run(steps, drivers, screenshot):
    """Runs steps(); prints `done`, or `fail REASON` with each browser's last log lines and a screenshot
    (`<screenshot>-<name>-failed.png`) and exits 1; always quits the browsers in `drivers` (name -> driver)."""
    try:
        steps()
        say("done")
    except Exception as failure:
        say("fail", json.dumps(str(failure).strip()[:500]))
        for name, driver in drivers.items():
            try:
                for entry in driver.get_log("browser")[-30:]:
                    say("browser-log", name, json.dumps(entry.get("message", "")[:300]))
                driver.save_screenshot(screenshot.replace(".png", "-%s-failed.png" % name))
            except WebDriverException:
                pass
        sys.exit(1)
    finally:
        for driver in drivers.values():
            try:
                driver.quit()
            except WebDriverException:
                pass
