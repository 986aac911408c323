"""The Debian package: built by CPack from the build tree, it must depend on
the libwireshark package the installed tshark uses, put the plugin in the
folder tshark reports as its global plugin folder, and load from there.
Loading is checked without installing: in a private mount namespace the
unpacked package's folders are mounted over the system ones, and tshark runs
as root, which reads only the global folders."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from tshark_run import TOP, pcap

BUILD = os.environ.get("BUILD_DIR", os.path.join(TOP, "build"))


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def folder(name):
    """a folder from `tshark -G folders`, e.g. "Global Plugins" """
    for line in run("tshark", "-G", "folders").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    raise AssertionError("tshark -G folders has no %s" % name)


def default_color_rules():
    """the coloring rules of the installed Wireshark's global colorfilters"""
    with open(os.path.join(folder("Global configuration"), "colorfilters"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.startswith("@")]


def can_unshare():
    return os.geteuid() == 0 and subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="sipresp-deb.")
        run("cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", cls.tmp)
        debs = [os.path.join(cls.tmp, f) for f in os.listdir(cls.tmp) if f.endswith(".deb")]
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = os.path.join(cls.tmp, "root")
        run("dpkg-deb", "-x", cls.deb, cls.root)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_depends_on_the_wireshark_library_tshark_uses(self):
        library = re.search(r"(/\S*libwireshark\.so\.\d+)", run("ldd", shutil.which("tshark"))).group(1)
        owner = run("dpkg-query", "-S", os.path.realpath(library)).split(":")[0]
        version = run("dpkg-query", "-W", "-f=${Version}", owner)
        major, minor = re.match(r"(\d+)\.(\d+)", version).groups()
        depends = run("dpkg-deb", "-f", self.deb, "Depends")
        self.assertIn("%s (>= %s)" % (owner, version), depends)
        self.assertIn("%s (<< %s.%d~)" % (owner, major, int(minor) + 1), depends)

    def test_plugin_and_profile_sit_in_the_global_folders(self):
        plugin = os.path.join(self.root + folder("Global Plugins"), "epan", "sipresp.so")
        self.assertTrue(os.path.isfile(plugin), plugin)
        profile = os.path.join(self.root + folder("Global configuration"), "profiles", "sipresp")
        self.assertEqual(sorted(os.listdir(profile)), ["colorfilters", "dfilter_buttons", "preferences"])

    def test_profile_colors_findings_first_then_wireshark_defaults(self):
        # a profile's colorfilters replaces the default rules: the packaged
        # one carries them after sipresp's own, which must come first to win
        profile = os.path.join(self.root + folder("Global configuration"), "profiles", "sipresp")
        with open(os.path.join(profile, "colorfilters"), encoding="utf-8") as f:
            packaged = f.read().splitlines()
        with open(os.path.join(TOP, "packaging", "profile", "sipresp", "colorfilters"), encoding="utf-8") as f:
            ours = f.read().splitlines()
        defaults = default_color_rules()
        self.assertTrue(defaults)
        self.assertEqual(packaged[:len(ours)], ours)
        self.assertEqual([line for line in packaged[len(ours):] if line.startswith("@")], defaults)

    # a sanitized plugin needs its runtimes preloaded, and tshark -G hangs
    # with them (scripts/test-sanitized.sh); the plain run checks loading
    @unittest.skipIf(os.environ.get("SIPRESP_PRELOAD"), "sanitized plugin: tshark -G hangs with the runtimes preloaded")
    @unittest.skipUnless(can_unshare(), "needs root and unshare -m (a private mount namespace)")
    def test_tshark_as_root_loads_the_packaged_plugin_and_profile(self):
        plugins, config = folder("Global Plugins"), folder("Global configuration")
        os.makedirs(os.path.join(self.tmp, "home"))
        script = ("set -e; mount --bind {root}{plugins} {plugins}; "
                  "mkdir -p {root}{config}/profiles; mount --bind {root}{config}/profiles {config}/profiles; "
                  "tshark -G plugins; "
                  "tshark -C sipresp -r {pcap} -Y 'sipresp.status_code == 302'; echo '-- colors'; "
                  "tshark -C sipresp -r {calls} -2 --color -T fields -e frame.coloring_rule.name").format(
            root=self.root, plugins=plugins, config=config, pcap=pcap("handmade/clean.pcap"),
            calls=pcap("handmade/calls.pcap"))
        env = dict(os.environ, HOME=os.path.join(self.tmp, "home"), XDG_CONFIG_HOME=os.path.join(self.tmp, "home"))
        out = run("unshare", "-m", "sh", "-c", script, env=env)
        self.assertRegex(out, r"sipresp\.so\s+0\.1\.0\s+dissector\s+%s" % re.escape(os.path.join(plugins, "epan")))
        # the profile's columns: status, first target, its lifetime
        self.assertRegex(out, r"SIP 302 sip:bob@192\.0\.2\.4 3600 s\s+Status: 302")
        # calls.pcap has findings of both colored severities; every other
        # frame keeps a default rule's color (its SIP over UDP)
        default_names = {line.split("@")[1] for line in default_color_rules()}
        colors = out.split("-- colors\n", 1)[1].splitlines()
        self.assertIn("sipresp Error", colors)
        self.assertIn("sipresp Warning", colors)
        self.assertEqual({c for c in colors if not c.startswith("sipresp ")} - default_names, set())
        self.assertTrue(default_names.intersection(colors))


if __name__ == "__main__":
    unittest.main()
