"""The map of the house (README, "Layout"), held against the code's imports.

Each app owns one concept and may import only the floors below it, so that a change on a
lower floor never needs one above. The rules checked here:

* the ground floor (content, vocabularies, places, translations) imports no domain app and
  neither the staff wing (editorial) nor the demo data; content imports no portal app;
* no domain app imports editorial/ outside its admin modules;
* no app imports another app's views;
* integration_portal/ holds only the wiring of the site.

Imports are read from the source (also those inside functions), so an import made only
at run time to dodge a rule still counts.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GROUND_FLOOR = {"content", "operations", "vocabularies", "places", "translations"}
DOMAIN_APPS = {"providers", "offers", "events", "pages"}
STAFF_WING = "editorial"
ABOVE_DOMAINS = {STAFF_WING, "demo", "discovery", "opendata", "integration_portal"}
APPS = GROUND_FLOOR | DOMAIN_APPS | ABOVE_DOMAINS

# An app's admin side: the admin itself, its forms and its spreadsheet columns. These are
# the faces of an app in the staff wing and build on editorial's base classes.
ADMIN_MODULES = {"admin", "admin_forms", "resources"}

# What wiring is: settings, URLs, the WSGI entry point, the admin's app config, site-wide
# context processors and template tags, and the command that compiles the catalogs.
WIRING = {
    "integration_portal/__init__.py",
    "integration_portal/apps.py",
    "integration_portal/context_processors.py",
    "integration_portal/settings.py",
    "integration_portal/urls.py",
    "integration_portal/wsgi.py",
    "integration_portal/templatetags/__init__.py",
    "integration_portal/templatetags/portal.py",
    "integration_portal/management/__init__.py",
    "integration_portal/management/commands/__init__.py",
    "integration_portal/management/commands/compile_catalogs.py",
}


def modules_of(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        yield relative


def imported_modules(path):
    """The absolute names of the portal modules ``path`` imports."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=str(path))
    package = list(path.with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = list(path.parent.parts)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            names.append(module)
            # "from offers import views" imports the module offers.views.
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return [name for name in names if name.split(".")[0] in APPS]


def is_admin_module(path):
    return path.stem in ADMIN_MODULES


def imports_by_module():
    return {path: imported_modules(path) for app in sorted(APPS) for path in modules_of(app)}


@pytest.fixture(scope="module")
def imports():
    return imports_by_module()


def violations(imports, rule):
    found = []
    for path, names in imports.items():
        app = path.parts[0]
        for name in names:
            target = name.split(".")[0]
            if target != app and rule(path, app, name, target):
                found.append(f"{path} imports {name}")
    return sorted(set(found))


def test_content_imports_no_other_app(imports):
    assert violations(imports, lambda path, app, name, target: app == "content") == []


def test_ground_floor_imports_no_domain_app_nor_the_staff_wing(imports):
    def rule(path, app, name, target):
        if app not in GROUND_FLOOR or is_admin_module(path):
            return False
        return target in DOMAIN_APPS | ABOVE_DOMAINS

    assert violations(imports, rule) == []


def test_domain_apps_import_editorial_only_in_their_admin_modules(imports):
    def rule(path, app, name, target):
        return (
            app in GROUND_FLOOR | DOMAIN_APPS and target == STAFF_WING and not is_admin_module(path)
        )

    assert violations(imports, rule) == []


def test_no_app_imports_another_apps_views(imports):
    def rule(path, app, name, target):
        # views.py and modules named like it (offers/suggestion_views.py, pages/city_views.py)
        return any(part.endswith("views") for part in name.split(".")[1:2])

    assert violations(imports, rule) == []


def test_integration_portal_holds_only_the_wiring():
    modules = {str(path) for path in modules_of("integration_portal")}
    assert modules - WIRING == set()


def test_the_rules_see_imports():
    """The checks above would pass on a parser that finds nothing: this one cannot."""
    names = imported_modules(Path("offers/admin.py"))
    assert "editorial.content_admin" in names
    assert "offers.models" in names  # a relative import, resolved


def app_arrows():
    """{(importing app, imported app): number of modules} over the apps' own code."""
    arrows = {}
    for path, names in imports_by_module().items():
        app = path.parts[0]
        for target in {name.split(".")[0] for name in names} - {app}:
            arrows[(app, target)] = arrows.get((app, target), 0) + 1
    return arrows


if __name__ == "__main__":
    # python -m tests.test_architecture: the import arrows between the apps.
    arrows = app_arrows()
    for (source, target), count in sorted(arrows.items()):
        print(f"{source:20} -> {target:20} {count} module(s)")
    print(f"{len(arrows)} arrows between {len(APPS)} apps")
