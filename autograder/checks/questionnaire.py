"""The options of the questionnaire's multiple-choice and ordering items (notebook 08).

The graded probes of every item live in ``autograder.items.nb08``; this module only holds the
option texts with their sealed keys (see ``autograder.checks.choice``), prints them lettered for
one student (``show_choices``, called by the notebook), and looks them up for tests and
instructors. Correct options are written to be no longer nor more qualified than the
distractors, so that neither length nor an absolute word ("always", "never", "only", ...) gives
the answer away (``tests/test_questionnaire.py`` measures both). A changed option text needs a
new sealed payload: ``choice.seal(item, text, choice.unseal(item, old_text, old_payload))``.
"""

from __future__ import annotations

from autograder.checks import choice

__all__ = ["show_choices", "letter_of", "options_of"]


def show_choices(item: str, student_id: object = "") -> None:
    """Print the options of a multiple-choice or ordering item, lettered for this student."""
    for group, kind in ((_SINGLE, {}), (_MULTI, {"multi": True}), (_ORDER, {"ordering": True})):
        if item in group:
            choice.show(item, list(group[item]), student_id, **kind)
            return
    raise KeyError(f"{item} has no options to show")


def letter_of(item: str, student_id: object, text: str) -> str:
    """The letter under which a student sees option ``text`` (for tests and instructors)."""
    for group in (_SINGLE, _MULTI, _ORDER):
        if item in group:
            return choice.letter_of(item, list(group[item]), student_id, text)
    raise KeyError(f"{item} has no options")


def options_of(item: str) -> list[str]:
    """The option texts of an item, in no particular order."""
    for group in (_SINGLE, _MULTI, _ORDER):
        if item in group:
            return list(group[item])
    raise KeyError(f"{item} has no options")


# Sealed keys (see autograder.checks.choice): option text -> sealed payload.
_SINGLE = {
    'q12': {
        'Compute the gradient of the accuracy once over all the data and jump to where it is zero':
            ('wM3SEy+RvgYw9NBL4tQ6WLLgjtryMABNuh0+xsPgG0ZxZMWFAd7tDxPuEnnKFTmMQItP0+Yx8mx+nE0Q19'
             'eZudxUh/wSwkrQqg5/JyRicDxVZ2J+ech/93x8dLsQGsggjPqxxSW1hC4EFr25VU8y86Bqtxgn47/DcVpt'
             'paaSFPyGnT0dNS+12SqXUQBmypaZ0/PSWDmUYWDqf0SfsghUEBblFw85S6ThMCy+ztX8hUI1VX/VOXQWIa'
             '4kVNQUSS3f5/mxF3jX3id48EeEqq/FwjaruPjCtt/QjaDQczah/R5y6ZEqTspibFBl1BV6FHZ0CnBmlcrR'
             'dXmY9skRzwoTJA=='),
        ('Solve for the best weights in one go with a closed-form formula, as least-squares '
         'regression does'):
            ('cVKbdtJD5O9T1vYD3p7+/JU20iAORcEVehnIOOmwONzoMR+s9Q+bdeLcE22FMMU7s8szyNfXkwDMcC6acy'
             'eRwCl5yzFu1gjIis1aw4Mju4SBvg1yB5X2unMiY/LWZdXNC+adsFKXBPIYqMbc65Ml3LK8fY3OgejAoLrW'
             'Q7xAh+p3FTmkmGrvRGznzwr2W+GWci687QsnwP26P6yugLn98xwb2qv6YmyjL98qu6gbqdrQiBxOHX/hn6'
             'RFLC4S2sXk6MnHoQLDewOWoiFUWv4muMFlCaKbctiWGP6d3kzFAtP/KMeCrVChk3yMq7s2OOOUX2keKf8U'
             'RIZG3NOIAl70HA=='),
        ('Step every weight again and again against the gradient of the loss, measured on a small '
         'random batch'):
            ('830DaFgMvttSYhv9SMU8luQSVsc7DbU0ZWBgjJ7Dy0KMhC8Np3MBZNgaiip4lUIxu0pgELYa4DkpD5W+KU'
             '++ssVqDD46w0jpyCHTD75paRwfMx3a7cud3SM/bD626MK113G/n3X9DnABJhbWYMEZRszyftZXUVPLFidX'
             'jMHGlLnPE43xRKMZtpfHrhl0JHoCZLDW57tBcO50jCyvlqfYOSYqEdMLbKnWUUrKkpkIZnUnrHhS52QHSa'
             'fOUdD7DbcaAWMA/biQS3L+RS57CKSPc9rxuhLEQi4+j0KxJDJSt61zjBccEXNN1a9lQi6BwlN1I5eK3iU1'
             'HGN0R7jND803Mg=='),
        ('Try many random sets of weights, keep the one with the best accuracy, then search '
         'around it more finely'):
            ('h4mhjuGjp36X8MDIv53D13rGOAzPrLoxppvrZQTVEBzb9xJBILEbr+Y6v/SWVib8cPredBNGAAMNsCfIfD'
             'fxgqjjAJu7RiwCsbTa+FeLNNB0Z09SmlsvBdkmDObPQduS2LXCSCkoB/9IEKqdpbGHjgEjpA3j7ObAYK6L'
             'GCtbOnC9f6IcG4O6q2opGv4O2bWkUNOhuXfSfZcItBXAF/1fT/mN07IKG+eeq41EnEoZo065OjCqhdNxeQ'
             'K7JPlPHwG7dzhCv6ghOaeSQkY+2c8dLoYDP2kmaPM+GI6uiwIc5b6uolfHiVHZuHzQOMEeFhcb/Caclf6v'
             'NPzVZuybJ4csyQ=='),
    },
    'q13': {
        ('A batch gives a less noisy gradient than one item, costs much less than the whole set, '
         'and keeps a GPU busy'):
            ('1r2GLqaDFTRCT8UTDi9DV6XH+ABGnrfrz/2/3sTHoCRYrsZSIZ/c0tmix4zOX6W2pdUUSKsLa3As40V+4b'
             'CQWmYcRb72eVa4K20q2J7fn0KV/ohpi9WuQQi3yrNryDGn9i3l7q9prk+1JNnwBbs8Aw8ds7ZNc3aLQaWP'
             '047ChXIbk8r/205c+QfQf3OCwTxW69TZbkk/NBat4sEBPdZRhGbTgiTk8+yopdmIHT/QIzgvUofzQBPmfy'
             'hOEgKDbwy5DwPF1+kz9M1BnaaRB84nGFuk64wePS2J9/l4fsFgfoGb/kjj+g4nWdFGNbCib7lONT/L58Mm'
             '5ugD4M9nxQxhzw=='),
        ('A step on the whole data set is the better step, and mini-batches are there to save '
         'memory on small GPUs'):
            ('pKdQrj13sTow/GBDiwhOstunQmQQsQTlXglBiUbJiQFkFgHzC0VyQ7TjtuCsYPGAvJaC3v8XYk763MhXLd'
             'YunXC8gCrgPYH6DH+j5DF+WKzLfpHtOyRR0V2ZkfIq5v0AKvgkORpJsQ2zmO2C7ntL5zxvGJXYsDFxGFis'
             'i18PnO/H/zauAyMKMEXQF8J71LdyFWDUhJ7qsahcGMWU15HDQCZ9Lx7PsdiwBTk1e+B+PP6uVQAJkj0Bap'
             'WEk0GYbBaZ3GjLaXmeFwqFSnocJffbAhy4mgMn+J3rMdVbTtcCcMQ0IHpSLfc7fZsoVib6FyTe0rj0ziMI'
             'bkPPkNYaQZYyNA=='),
        ('The loss of a single item is not differentiable, so several items are averaged before a '
         'gradient exists'):
            ('c8e06+CdisMX9n9nSKg+5s5q8zOPJ1VF8KTqc4Sy8QzCzgvJHaJ7qAKilIcCQ71vJB/vpIPd4Pjk1NkdnU'
             'mm9ZXe8han6eEGbaUC5oE4I0UgNggOJqAKaLTh9wJjALOul8iz7xPymLnDaPYdLFYMGU+NduatMMfldIWE'
             'yX7RxC2P1a83HZcwmXgLIKkKwvPcai62+k8xkBhAb+iyTxrnZon/CK/byH9FqnW4PBi5lZ9XEVo/WO7L5Z'
             '7ceKYhsxMvngLTkqc/+Qwn6OQaHEhsPTnXm8RhYYiVVhKE/nClHM3UOQXwR2Ncu+DKV1kwviDxgeHjgAT5'
             'UqufKNAut3Sz8w=='),
        ('With mini-batches the model sees each image fewer times per epoch, and that is what '
         'stops it from overfitting'):
            ('lzF7+5cWmcIRly70z3N8mZmaG16orgs/vVJaQFDjhomiC2iaLC3AsMR5yuG1e7bLHgm1vkipPdrFP/Lm51'
             'y4DinZ52j/Pjg+SjFYzIHfVoUZDU/z0+2n+MuLGSHXzTTqf5u0QZ8zZXyE6k9T873HxLDuR95djHG5sDUZ'
             'vglyf322AQ+lJ+0q0LsDaTW2F6xr0Z1AjT/mBb05AnfJ3yH8o2PzDguNYvT5kcbKEjxiKLdrDPSs+JuJWO'
             'uvKv7uWz2dqPRt3JfjYDM4PeYq9oprBtXzta9yGhRjUSwzXRMepBm1igiM//Eceepprcb/vEqxPeqgB84o'
             'emdEZmsIvE9b/g=='),
    },
    'q16': {
        ('A smooth function of the predictions and targets that gets lower as they improve, which '
         'SGD minimises'):
            ('gapLGwcxhkXPz7Kepv6s7FKGV6F87IT+quwrIUT0MJLXgg1U1ER5gz9mM/Q2pMn9Rx2Rl0OgFZeCmPyrto'
             'aHxkm96fViDoKJFH2NmnWuhN/bhsXQ3bAkoPQ7Dz2v07inc5ZschgrIE1w6WEzKY115iaL5qK1Ne8t9z04'
             'MxFS9MbAkFlt9huSexzd4oISy0QbEosYniWO3Tq6jK9eV9O3jkQv9FrM4iHTjqvktZPIqY2/yYice1sWvZ'
             'znCUxqps0Yv1Mdv8Yabr6wZGD58jJjX/OGNv5wu8KSSTWC5fZXx/7aQhIdOn2FwIaVJh1P7QWl6NkqzoTX'
             'mHw7S3UZIAEYOQ=='),
        ('The learning rate multiplied by the gradient, that is, the size of the step SGD takes '
         'at each update'):
            ('My4S6RTa3aniGiw/bXpSAmYH3XrMkyFCYGdQsr5mRDgIDdIlJTzOWAuYuq+Zrp5pJ766HA4VjK1xUnd/gG'
             'dkeBNto/xfmfIfvVc988QUPRSKLrvhzI6ipwd/UGKkNFqDEeLEfvc6oJWB2xC0lzLe9IViNeOU+kXrRKl9'
             'lLMcU3GohgqaumbPa4Jso8ZIhmrWF/o1Sc1h7RUXW/20YnOtrzABCMmoRyDdmH9qCy/y0ji3G6H+DBoWLD'
             'OtULl0d19KP33ZVVzAYWAjnOcSqSRJP636uRr+ylCyqi8xDe3yOtLfFMZJMvh1zpXX0HAO5cYpJUynDAsC'
             'SB2wpPJS54D0fQ=='),
        ('The memory and time that a training run costs, which SGD tries to make as small as '
         'possible at each step'):
            ('iHO4gg1voFRi3rEV0KfXO0Ep6e+HEG+l6WjcQj1YJtxK4S6mko/qtyB7ZLBLnEcCjLmAZ85nU+gw8wzepo'
             'NQsCWkD4ATWggc7A8HWfioGPs3OT154OQwB2jfrp9/qgqa+ap/9uy1loOOQLilicjeuVKEh8EGxndwM4dz'
             'dCjwMx+a9cWiur2B8oVN7w3gEPKhJx5EblGpL50AzvKd0sxx8ZjmzbNpJpD/lc8WoeavhkHqq8BiWIc1g5'
             't7v18m+odwhXcNxOBRMbkIWw3QY7qSigvNpqadVRjcn/GAq0l4lNweRKtfxwxMesmynbvi6HO8FMoz/MhK'
             'Od7drkzWcR+w8A=='),
        ('The percentage of validation items the model gets wrong, which SGD lowers a little at '
         'each of its steps'):
            ('Hg5jsERMgwWngafwviijZLIZZcyuYdRkyMvZf1IOZRVNqyGXiyVxO6CFcdav8H73rS8ZjJlS9UHpBCykil'
             'yJa3LzQDZObMT/P36VtL+h0gw9lauP1x0Dn+uL91pKto5gaKaQPQJnnBRVmGnLH1tOqxgvF2vqiZw0ZHx0'
             'JaKNlCSrIBUGp2E5tysdulMKDWpaJ7NGJhFu/HlOpL6qbWJPn0n7X2cMaX1TTPNczjclf8Pu1/fuNxGqN/'
             '1rt1FL+reco0iOn1lPnhsL+KoDSH2uByKGhmcAB235yCzkyAQ3MOW7so6/QM4xs4RPmjHPh+L7hNGimnGs'
             'MNM1EmIxHVOt9Q=='),
    },
    'q22': {
        ('SGD differentiates and minimises only the loss; people read a metric (say, accuracy) to '
         'judge a model'):
            ('eAo+cO3p9JgWrHs1j/gkyOcVPOYPwMXg4DOcWa8gMGz8lYdfdZ2X7KFTVRC9hJ05mkWGkiIvP7hS5F18Hx'
             'z00UVQWRLRg4yeoCs8SBpcyRFl+sIdDmJZP4JkS3vsM94ICMkBS06sByrFFxH2Du34D4BFTSppksczgFpa'
             'upSfuo/flzfweaie02UkcuAtbJUsmNz8/O2jUf4NKqaDrQRIVma4HyGgZHBDhS0W15S01NsX8TU5lOZYHR'
             'a9oawafqxTc/syLeVtVaMoHnOqgnVZt+y3KsRM+kh/frPyS+TPNE0KF5q8vJmLTqMaGU02AdnKsMRdMfhP'
             'OIZxA+u7wgFCZQ=='),
        ('The loss is computed on the validation set and the metric on the training set, so that '
         'the two never mix'):
            ('6omJo5sdiSqxP0sWyMnuMQAOgbGWZ037NUWtbdEq6TAWiE/M/CabN/2viiIL44TD6e5DgQY3YnBjF2WY9K'
             'Gf1ndblBbhAYJQHCn2DVYlZUzRVwzMqj0he/ICT5RIgkHkP+9k1WyXZuvtrXzAKYylkQLyqIk/jo4rvr0Z'
             'sFPR8lCyxWhO2YRcYRHGfpIPSokWjoQD7BThBFSny1MRt1RZFWuziL9wb2gTt7yWzpHM04fjNHzmW3BpF/'
             'AwDccYNbJX/1F3dnXoIRjS5EVCxawMDu95d4dD2V9hPi/hC5YJcEylJ/ntCVMO+08i4JRaOFEc65k97mqw'
             'WC0ZHiyTnZJPkw=='),
        ('The metric is what SGD minimises, and the loss is what is reported to people at the end '
         'of each epoch'):
            ('kxV0obQ3lt3QNJCZXxGkR4Or37iyvglY7hn20xCLtCsoIdupiH3YWEtQxcZBsfsLE/rUxCUuraA0WCGhp9'
             'cz1UhIw0ITTHjmrguRXpisVZCD/tbqhSCEX9EDVHXd4Lu3oPYglz9U22LmDhEg89nlu7VXEtwFkOHouz4Z'
             'T6hbufG8R5EGFtZHi/MVA4aYYOkpMJ+IQR59BwrJ97uva/bPIahCj5XcAYXJXcxfNsg/e5XSR5P61rdbww'
             '9yBg1q7nM9X+VBuM0gg97JRPJBJJ2qqpif+cjypvJnufwinYhVSNUy5x+OBauowZ2afBqeWSQKkOXrVUmg'
             'qt7vY3jqj8MYAw=='),
        ('They are two names for the same number, computed once per batch and then averaged over '
         'each epoch'):
            ('3OaLhF375kuHTG6jSIW9sMx5vGlIAccEBmq2vi/ropZKT7iTc9Do0zVRmClliy+F51ruu1zdm3casSKe5Y'
             '2WNW8Ytj+KJ7X2b/qLTdYIRmrrjnLxspUGZejxB/PptBtqAggsCyjmPrErvTQCqr0mYgY8Uff46vrZQYC7'
             'O+HtwfiZTEKmmjfFxEdMIMVPGbF5AQAFs6rvsFIkuZMo9A37ONvYuBfXCDQRlx8bMzFjMlzHLw/UwDa7az'
             'zqF3QlfBGkX+xQ+OYmRrxsXS6admuhFjWsk9gv7RkvIivzlarVc7Tt9SqNg/YanPigkbjMTDiFPOcufMHG'
             'VchHRZX4cMk5Sg=='),
    },
    'q37': {
        ('A network with a single nonlinearity can represent straight lines but not curves, so '
         'curves need more of them'):
            ('K8fXaIxwhlUMsn012q6zB8qODsKRaUu33W6vaGKBkwScveI2K82/Yvll/bL9tw/xX7fbiqtr6UA2TB7w9q'
             'uxN4tc+jQEkup3BG9sijqXwDlSaxDaC37Q3wVEQE0D0yqbbNqL5cime2OzipsrahM2C8HynllP4NQWZH59'
             'hF9hbx9CEsmiwXhUJpgnh2Tqq4q4JFZh/n8NPF0s9+7pwRFdA8bsutKMIvw/ThpRfl4nyjYrgluJWwRZF3'
             'h/CADdNPnB9CXL9/Od7aPA2HFE8O1uAMBOAdR8XfIjUYPC6Jwn0EDRsIsdl25KUTIIqu/47MLHai67rHQQ'
             'WGVQFrq/Gm4q7Q=='),
        ('Deeper nets of smaller layers get good results with fewer parameters, and they train '
         'faster in practice'):
            ('+07hdhtwXQMcf/RCfUpPe2ULt959hUalAzBYyc0+413GYWVnlfzwrA6THW4x6v0q0mayhcF6D/A8HjSV5A'
             'Yd3G8JSn4XMbw+pAq1vH0sLUY8pWOghsaQaLik/GkqNf+rE9NoZ2XM7vu2yolPEjYSndvYtBeccnglOap+'
             '2FgVH4SdKZaMwokSFmPy6yRMWdod/vabuD9Fx1ogwFiK+6/4hstDMqIMT9vpL4xhjdCHMTA8MNC+phPhF7'
             '2/nwMaS1RUt0pdKXUU6uMPnoj96Ogqqx0VFb2skmH1u0JKWYWAuJ5rbPPFmVuSkCwFk+gk8nUJ0VybVLHQ'
             'rYJoMNCYtfoCbA=='),
        ('Extra layers keep a model from overfitting, since each layer averages out part of the '
         'noise in the data'):
            ('aK/+ELEtbhPcDdFw2hoPq5tODyQWBY2DMTr1HM9t4FO/PL47vJE5Jr+WJbfFlAtsHTBI1hSLYTgYtqg8Rq'
             '4HSwDSH3GP9OKZKtN1ln90nWJI7YnPq03Ty6stDMjgUWCVnmXHYkNa/BQE4yufi4xflXPVafrJYkMlqIzK'
             '3I3WHz6bdFTBFMtM475Jx67iAldt23XB45japHNfjL3g5q/WCfcDbrJlOe/muSNC8HWwhGlr54Q5mbRmRB'
             'pQ+SorAcow9XoxE46zqNRexQGJBjTJMV5Hi+OkOQ3URyUhn9auxAM+m00+7efmQ49OtFOA9ugvdTEiRot0'
             'Nh5HmEmlh4Qiag=='),
        ('The universal approximation theorem needs two or more nonlinearities and does not hold '
         'with one'):
            ('QtHNP8OEeOg0HIdepYWZSHiwLiJzmXfgaGNomSiC2KZAKRuAYUIzbebWQnmLCA/Ki9f2o8bp26/JZaF/yC'
             'GVYjUHkjNAfmRb7QT4bQkgezwC6q+xGSWsCbrO3qdYyFzW1LIIfMDsGISMv01/+K3vuV4xd86D2T+NXtBw'
             '3ymw1R1z/f635WxksJIz+fuExMFTm2xT3EsaVCxefHc/q1aFlby6+SIKojqcF/z/bsT1uFr8OazPKZ6f17'
             'U8W36MI8smya56wC/fj3SOV5+etbDfGg4Q/I55UfM9tFuCAZ5kyxdmIYdK74bH5wAi3gTISaJhNSfujtJI'
             'ooDKV8hH7tTiMA=='),
    },
}
_MULTI: dict[str, dict[str, str]] = {}
_ORDER = {
    'q14': {
        'compute the gradient of the loss for every weight':
            ('6Ak3b3LNc8wIwBDzhdbMhdbJyEqOScrOES0z1fyiOUJbtGbxkILHsf39sRT6c7t8Pp4JL2dQ8HmU5KLJBx'
             'lwpOf1W4shB059yRVlAuofXjfuvvAemRaDyb3M8EnHb4ChdwbTNjX7anA5BDWLId2ZsV4aMmJckHVWeKmt'
             'Iw7q9HLTbrAeyqNkKahf/9dBDXzunOZbGlOE17dt5N2aklV31SG+9SVcPfwniQQgwmsiz3sYU3hfO2YOdC'
             'yBLUywSMFlvrOizog9nADFBjJpJzA3brO9Gp2uIPeNxlSpA8/R6s7LLckuRvMLC1t7hlANi3b5fNvkaMS5'
             'mDxbrBPub/se0Q=='),
        'go back and repeat the cycle':
            ('TjyvewLVA/o9hO7OhAnfB8LPsoqa0Th8FRr+05Dd1gEgNbMuYj8TaJA33oSGIGEBOKqKMBB3OYTUhPQoAd'
             'eoB2ZdBnmsKnWMH5+Bx7XrmNOdL8BVhC5wDarbJz4+OZKk2iY3nE2DLuAIGiqr7UDiWmvO3GH5p3yMgsDP'
             'aAhUCN1i/qTqNJYAaA+femtsHpamXUagZxHVNe025zLoqJJNC1qfoRURlw5CI4I2MTqEQEpAtY+Z4Nh+f8'
             'oDB6ZmVdW6ayOim9avCViSZKF684NJkG2/RudJCwOcNwv2jBNUT/NvKTLaSiUpBjq5nF2BiAEJS7CDjCNt'
             '4jS1DjC49f6lLg=='),
        'initialise the weights':
            ('IfxAeUd/dHTJq1BAhZUXWKpJ/iV5KL2yMTEar4opaKpz/vg9Nq7kR9eeTOGHbDzJ/yJfuxb0SILSVab2pP'
             'abl3UVVMUzOTZmDUxcxfjlODImdnmWOoX3EMyVBKUMg40b45vfUd3bcr4bV9Sgl/yFnAgS+wR0WlRDLs5z'
             'N6NF5q4iafS1FOoey0gVESGS8M7lv3YN/Sni3sxloLbbjg0rXmX9EdnPLH+K3NxvwMTKGt/uEdhJeCjW3T'
             'GGOrRtlW1Q0ZKozB0H4QssBp/+0hwlSYYpUz/kgTC795DtRoyc/+i5MuQkA++nHKMY4tGn+aAf3jGs7w9b'
             '73UUWOnjo0lK9w=='),
        'measure the loss of those predictions':
            ('uPmPJ7q+p90OY0VwhN6uHna4OC4vyDnLQwpD2Oob6D/dPPuZGPUZQPVm4U92z2KTpbfXrcYwK/GueGeGir'
             'FedXE48/u4W9XDZVN/YkATwBTPwdKVAnXYcuSJfzlpCe/ZpKosgg04txxSyE5eugpCRF427RMuwk1gBp9q'
             '5Dev4pixgcHUhL1Xj3uMrQcIdteIkVXtPHmjKf9FYAQYbIn6Ue3v9GbkPK31MATz77zqTto6mR6Oiey0Ks'
             '4hhQGwGvjC76XXgWPxDakg9KzD5xOgmwNg0SNaNM/qztpJy22cJnziRbSOLH+VVPlbHt16vvuMo0NkEK/j'
             'Sb1s+zVPb1bUKw=='),
        'predict with the current weights':
            ('yPbE5MqzcAN3FG8O/gzDiJWFigpaNuYPJ16ySYp3oXZL+ND6FjG12xGNgPr/uIm7pd5kbpCIADW/FG52AF'
             'i0mwRzOVtZO/waOrxeJMAKYle/amvK112JyO+kkKgnYYKgPEPJe+O1gzUja+qHDgkSp3CW/QxgeT2Jh8B3'
             'obSRikrI4pODzoVw9ozE3PeplQzibKdSnhF13l4zQU/4umQz/768jdKp08MTkh4/w6h2LS8CE7x/hZ5xey'
             'CGIZUHcXoq/Rhnr/7lb8dK7Uv1mLrFnJ7NssHHGBVJIcmNHDJULhkMsa71u6H12NsGivamWab7JhMuYAW7'
             'MK0UlvdVWVj2Tg=='),
        'step: change each weight a little against its gradient':
            ('rQSSOCtpSMlKzHKhJO3bMcSfMUtAmoT0fcvHUO/gwT8tK/79xEC0fue1IuizjvY0GcuDj+B/JTSWflDKz6'
             'LwekdAHDKEkbOQ/rdydk58FnhORQmPttCHvOrSvn4ijOl750IChsEz7YBW8P+OjPQe2DHv6cBGGDhLk7Y+'
             'H4nL+swrreKEPbSyYQjmS6oSDMvB1J3zyPhT7L7BT3ya1/oUDbuFxgQURhJBYMGxBOjcVHw/fpPQvTl5Zo'
             'UhK1QUwa/bCI0B+j6Hk2ntpg2nivzzozRkTiQMOs/vWuyV3vqVMeHpFaHUPLkIg7fK0mXqXvFuaJciY9Mr'
             '4O87z8gLLq2qOA=='),
        'stop when the model is good enough or time is up':
            ('2WXj47epg9bVdJcXlDLxh6tnxWRVQ7DSyeMHQKCLeIseuSJxcC21vgIW8hz021XAhwIsThwupd+4TqG0kf'
             'WaAA4uyGd6ckLGSaqVxb5jMMa/MBHcQmqJ2w8mW1DAWucL3p7qjX9n+UyBhyDv0bWt6UQivGy8Z05JXsT9'
             '5k4sCZiCPOS5SxxoAIYjn+/+NF2FtFSWx9NnYvLrVUQG4Yay6bY5125K+ppkyWQ6tZsiDQMc3kJE/wo3Ze'
             'KOyVT1+jQsrOh5eHIQfgTHgz6u+7yEnTA5uRvsClbomIRGsT1BYDd05YmgJlfgxOtzmJ6iwnVwPDqIJ9Hv'
             'ddTc7iqhC16ZqQ=='),
    },
    'q25': {
        'loss = loss_func(preds, yb)':
            ('xOO59wQ4o3uVgpzJLi9QtMgmWR50DmzQt1gsLyFyO1du7tb1mjA2YCN85AeIGTLS3ef5WpX9jB2HW1WQvU'
             'QFoLqUVK/4h4ntMc6iaEXL6TLREI8aBG3r2qsEdphkdnBPAvKANrVvRV40cVqHbhSlL03ovcw4+IFpDO5S'
             'TgKFTxfMph+jnwwX9AKqqJ98+5apPPU3PX/iBIU/lwsO7vfkqglh00sU6Nitol2c0BiaEtKWJtuu9Fpzad'
             '2R6JMtx9sH+S3IRh1bjRpWHBNVV9evu9RTNsikoTgmyqydGODSxefvwnGHJQ6JFM+WTVwWi+5+IpMz/9QW'
             'JYo0QLwLOxNv2A=='),
        'loss.backward()':
            ('zC8lv4DAeBZ1jYtLv/DlPoNSI6LiWFsDT//85KEJQbAFkhMBP2tq0+3Hvt/Poue9Y8HKCaAeE63ITyhYhR'
             'ESm1uPsI27rpomsDVDpOoAzLmhfcZuxTziBSs021mtjXz+GWxqEtmUFj5fhe9iXT9fK7xWwxDpCKs9MqZ+'
             'ysaNd6SEN9ZMg3IKtF/4n1Ig8DkI/s0spGKBkU7dI+1esdNv7Z3k8Oqvzvr5w/Li4DwGx5sqPPoVRnWrHT'
             '8kqB32pbCkNSMJf7ubFSirGyzRMxtiSLwj3WmsW6d5HZEUmIL1EVtdpXPaHQ/C6Q7SUuo3EeIRN/pZLC7t'
             'LxvPfpsHMQw5YA=='),
        'p -= p.grad * lr for every parameter p (without tracking gradients)':
            ('9k3qN35gp49jUr5PgtF0YMw7e7h0BF5eNDo5dk04bAfxaX2vb6oBdq5rpUCrIBFe1tjRoHycIWB5f0mboD'
             'NPNM1y6Bok944cmDhkVYt3JODKesWFnDjrJXzAziDqUpOCv9P32a6gvS3RR2GcWqPj1cW1q7RDCVXsB+yK'
             'L3ml4Pl7D8aZIzTq0R3XQM//bcaW3H+qBmZc+mx+LpyWi2FaUyNwsXdTtBpUnAprCPO+zGnYPCU+MjViGP'
             'Z2tlmTV6ohq+S4Q4O9RPnuf2YcbCm43sxxWJsGG2vm8W9k/P0o7dC0nL6GzUQF9IlQKQLn8ZfSDbbdJiMo'
             'p4RwifkQX8zAtA=='),
        'preds = model(xb)':
            ('9coSRILF/WKU7NXIbswwtcbZHai/zjvpkvif8cVQ6gl4tYtSGoX9JSxIkeI+T0qJv2jg0+812FHo1TlK23'
             'E8ZteapUUiV7lm+wdklSsqnx/X88L6vesFsth55Ihv6dgWiYGwvu6zaXimFpVRdEz2t70wQtxD4UVG48Wa'
             'XYnrrANF9tareLdWthrwvYs0vAb9PgJSPmrsme6NkLAFI+n9lRUg4mtE5cQFfwFVZCxve/Ic3c8ggopBOJ'
             '/QO2gHUg+mWB84itG44wDejxe4tVxgv7RA+DJ469v1oqriT/jD9tZPWlj4K5hkGcz5EsxXKWP/n7ucOiOS'
             '+jyHcZEQuXPCNQ=='),
        "set every parameter's gradient back to zero":
            ('IbEOeFBfU/HQ69AWCLx+R7yE/dvoWaeytH+SPhKpBjcvUs1lk9r3sG7UujUXOvd3yUftNUL6ebhMcuJxDW'
             'yQ8U/Y3tww4mVu3Wzs1b1cM9AzqOUMCl/R1TNYWNVA6MQ23IdSwrBNpJXKgtvGiRJT+XrvAXnhCNyUSRHr'
             'Kzs/XY76omuYOP5P+G2WGqaPj3zpyzBW3L+G4K19eQXqGuONCTybiTEfrBdRewCsU1phsW5qcWhQnxw4tq'
             '/JW+5yaub52NI1/b8ys5k955rPx/nzXYCkIuRW3VKL+MCryLcmpjszdY/5QVFDOoh1G0x7O2A0sW9xexVZ'
             'Mxa9PazQAwPGIQ=='),
        'take the next mini-batch xb, yb from the DataLoader':
            ('05VLJu8+lTeQB5pbMENq9Grp7bMyS3CUynrH8MS4LxuL4kB18vWN6Zt/cJgQGZpjw8DI+SWTdtLEZVxQFg'
             'xlFtiKVXR9WWzvB0poWHM2iRW5bgcwUcNrhH/Wbt0Kp7hYWxeP8IvewbB1lX/wj58TwiPAz9FkSfgKTW16'
             'eDQ7Sf1jwgOykn0LkEHe+Z4ms57AvuKjohVW1yy705Bfsk/MYn+DvSVmmBDWpOsTw17Ct1KXosTxp9wpz9'
             'Jww2GJIesEeyp7HDeYyuzoJWe0bNz42qQj5vNIqVQVv/QtRq9QDY7fVxEqgoQuu/WGtKMeE5oPzyTYaULx'
             'b+EemKD0RB8sRg=='),
    },
}
# digests of the valid complete orders of q25 (where the gradients are cleared varies)
_ACCEPTED = {
    'q25': {
        '1ae0496a12cba0316a8d3311',
        '1eddf2252ce1ef6513c793cd',
        '2a7452c6cefac1c85ad9e9ee',
        '50e147e8b258607c2c905b27',
        'bf7cf56dc3cb8c0a6327335e',
    },
}
