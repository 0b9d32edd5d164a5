# The phone-width layout script (run by `BrowserMobileScript`). Arguments: portal base URL, user, password, Chromium
# profile folder, the user's running session, phone width and height, and the screenshots of the sign-in form, the
# portal and the console. Every wait is bounded.
from saffron_browser import *

import base64
(base, user, password, profile, session, width, height,
 shot_sign_in, shot_portal, shot_console) = sys.argv[1:11]

# The page as a phone user meets it. `wanted` maps what a user calls an element to [CSS selector, its text or
# null]; `width` is the phone's screen. Elements inside a scrolling area (the console's desktop) may be wider.
LAYOUT = '''
const [wanted, width] = arguments;
const shown = (el) => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
};
const scrolls = (el) => {
  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
  }
  return false;
};
const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
  + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
const items = {};
for (const [label, [selector, text]] of Object.entries(wanted)) {
  const el = [...document.querySelectorAll(selector)].find((e) => text === null || e.textContent.trim() === text);
  const box = el ? el.getBoundingClientRect() : {left: 0, right: 0, height: 0};
  items[label] = {found: !!el, visible: !!el && shown(el), tag: el ? el.tagName.toLowerCase() : '',
                  left: box.left, right: box.right, height: box.height};
}
const outside = [], cut = [];
for (const el of document.body.querySelectorAll('*')) {
  if (!shown(el) || scrolls(el)) continue;
  const box = el.getBoundingClientRect();
  if (box.left < -0.5 || box.right > width + 0.5) outside.push(name(el));
  const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (text && getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) cut.push(name(el));
}
return {viewportWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, items, outside, cut};
'''

def layout(driver, key, wanted):
    say(key, json.dumps(driver.execute_script(LAYOUT, wanted, int(width))))

def whole_page(driver, path):
    """A screenshot of the whole page, below the fold too."""
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))

def in_card(card, label):
    return [card + " button", label]

def phone(driver):
    driver.get(base + "/")
    until("the sign-in form", 20, lambda: driver.find_element(By.ID, "username").is_displayed())
    layout(driver, "sign-in-layout", {"User name": ["#username", None], "Password": ["#password", None],
                                      "Sign in": ["#login-button", None]})
    driver.save_screenshot(shot_sign_in)

    sign_in(driver, base, user, password)
    pool = '#pools li.pool[data-pool="office"]'
    card = '#sessions li.session[data-session="%s"]' % session
    until("the portal to list session " + session, 20, lambda: driver.find_elements(By.CSS_SELECTOR, card))
    layout(driver, "portal-layout", {
        "Log out": ["#logout", None], "account name": ["#account-name", None],
        "pool card": [pool, None], "pool's name": [pool + " h3", None],
        "pool's Connect in browser": in_card(pool, "Connect in browser"),
        "pool's Download .vv": in_card(pool, "Download .vv"),
        "running desktops heading": ["#sessions-title", None], "session card": [card, None],
        "session's name": [card + " h3", None], "session's Reconnect": in_card(card, "Reconnect"),
        "session's Download .vv": in_card(card, "Download .vv"),
        "session's Send to phone": in_card(card, "Send to phone"), "session's End": in_card(card, "End"),
    })
    whole_page(driver, shot_portal)

    say("opened", connect_until_drawn(driver, "office"))
    layout(driver, "console-layout", {
        "Desktops link": [".console-bar a.back", None], "status": ["#status", None],
        "desktop name": ["#desktop-name", None], "Ctrl+Alt+Del": ["#ctrl-alt-del", None],
        "Disconnect": ["#disconnect", None], "desktop screen": ["#spice-area", None],
    })
    driver.save_screenshot(shot_console)

driver = browser(profile, phone=(int(width), int(height)))
run(lambda: phone(driver), {"browser": driver}, shot_console)
