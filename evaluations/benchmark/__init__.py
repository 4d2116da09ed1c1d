"""`manage.py bench`: a national-scale data set in its own PostgreSQL database, and measurements on it.

- ``settings``: the settings the bench runs under (DEBUG off, its own database and storage);
- ``urls``: the project's URLs plus the bare reference views;
- ``dataset``: builds regions, a framework, one cycle, every answer, evidence and history;
- ``measure``: page timings and query counts, the dossier in a child process, gunicorn under load.
"""
