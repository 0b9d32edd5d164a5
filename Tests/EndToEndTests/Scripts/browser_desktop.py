# The real-desktop script (run by `BrowserDesktopScript`). Arguments: portal base URL, user, password, pool, word,
# screenshot path, Chromium profile folder. Prints `prompt` with the text read once the terminal's prompt shows, then
# `read` with the text read once the word came back in capitals (only `tr` running in the desktop's shell writes it so;
# capitals read back more surely than lower case). Keys are typed without Shift (shifted ones through spice-html5 are
# not what this checks), so the capitals are named by their octal codes.
from saffron_browser import *

import subprocess
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

base, user, password, pool, word, screenshot, profile = sys.argv[1:8]

def canvas(driver):
    found = driver.find_elements(By.CSS_SELECTOR, "#spice-screen canvas")
    return found[0] if found and found[0].size["width"] >= 64 else None

def read(driver):
    """The canvas as tesseract reads it; the last screenshot stays beside the screenshot path."""
    shot = screenshot.replace(".png", "-canvas.png")
    canvas(driver).screenshot(shot)
    return subprocess.run(["tesseract", shot, "-", "--psm", "6"], capture_output=True, text=True,
                          timeout=60).stdout

def steps():
    sign_in(driver, base, user, password)
    card = until("the portal to list " + pool, 20,
                 lambda: driver.find_elements(By.CSS_SELECTOR, '#pools li.pool[data-pool="%s"]' % pool))[0]
    card.find_element(By.XPATH, ".//button[normalize-space()='Connect in browser']").click()
    until("the console page", 30, lambda: "/console.html?session=" in driver.current_url)
    until("the status bar to say connected", 60, lambda: status(driver)[0] == "connected")
    last = {}
    def prompt():
        if not canvas(driver):
            return None
        last["text"] = read(driver)
        return "user@desktop" in last["text"] and last["text"]
    try:
        say("prompt", json.dumps(until("the desktop's prompt on the canvas", 90, prompt, interval=1)))
    finally:
        say("last-read", json.dumps(last.get("text")))
    screen = canvas(driver)
    width, height = screen.size["width"], screen.size["height"]
    # Into the terminal (its top left corner sits at 40,40 of the desktop), then type.
    ActionChains(driver).move_to_element_with_offset(screen, 250 - width // 2, 200 - height // 2).click().perform()
    # Typed at a person's pace (the guest's keyboard drops keys that come in one burst); keys typed before
    # rev starts wait in the terminal, as they would for a person typing ahead.
    typing = ActionChains(driver)
    for key in list("tr a-z '\\101-\\132'") + [Keys.ENTER] + list(word) + [Keys.ENTER]:
        typing.send_keys(key).pause(0.05)
    typing.perform()
    answer = word.upper()
    def answer_shown():
        last["text"] = read(driver)
        # tesseract now and then reads a gap into a word: spaces do not count.
        return answer in last["text"].replace(" ", "") and last["text"]
    try:
        say("read", json.dumps(until("the word in capitals on the canvas", 30, answer_shown, interval=1)))
    finally:
        say("last-read", json.dumps(last.get("text")))
    driver.save_screenshot(screenshot)

driver = browser(profile)
run(steps, {"browser": driver}, screenshot)
