"""Importers for official sanctions lists: a parser per format, one shared way to write.

A parser reads the whole file and returns an OfficialList (or raises ImportFailure naming the
file, the line or record, and the problem) before anything is written; official_list_import
then applies it in one transaction.
"""
