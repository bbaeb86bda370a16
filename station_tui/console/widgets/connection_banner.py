"""A line at the top of every console screen while the server is lost."""

from __future__ import annotations

from textual.widgets import Static


class ConnectionBanner(Static):
    """Says plainly that the server does not answer; hidden otherwise."""

    DEFAULT_CSS = """
    ConnectionBanner {
        height: 1;
        width: 1fr;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
        display: none;
    }
    ConnectionBanner.-lost {
        display: block;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "online", self._show, init=True)

    def _show(self, online: bool) -> None:
        self.set_class(not online, "-lost")
        url = getattr(self.app, "server_url", "")
        self.update(f"与中心服务器 {url} 的连接已断开，正在重试…"
                    "已填写的内容都保留着，恢复后再保存即可。")
