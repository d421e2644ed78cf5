"""What serves one chapter: the book's ready-made graphs (``book_graphs``), each chapter's
pictures and slider update functions (``ch1_3_graphs`` ... ``ch6_training``), and the
reference solutions of the exercises (``solutions``)."""
