"""Portable credentials: Open Badges in (read, verified offline where possible), CTDL/CSV catalogues in,
CTDL Pathway and iCalendar out. Pure functions; nothing here touches the network."""
