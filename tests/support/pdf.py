"""Reading back what a PDF shows: a page rendered like a scanner, decoded with zbar."""
import os
import shutil
import subprocess

import pytest


def scanned(pdf: bytes, tmp_path, *zbar_config: str) -> str:
    """Render the page at 300 dpi like a scanner and decode it with zbar."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not on PATH (Debian: poppler-utils, zbar-tools)"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    (tmp_path / "boleto.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "boleto.pdf", "page"],
                   cwd=tmp_path, check=True)
    result = subprocess.run(["zbarimg", "--raw", "-q", *zbar_config, "page.png"],
                            cwd=tmp_path, capture_output=True, text=True)
    return result.stdout.strip()
