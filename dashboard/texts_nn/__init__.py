"""Nynorsk for the dashboard pages whose text tables were written in bokmål and English first:
one ``NN`` dict (key -> nynorsk text) per module of dashboard/texts/, merged by dashboard.i18n."""
